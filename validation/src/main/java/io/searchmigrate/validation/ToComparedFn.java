package io.searchmigrate.validation;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.transforms.document.DocumentTransform;
import io.searchmigrate.transforms.document.TargetDocument;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A document as the comparison sees it. Source documents first go through the migration's own document transform
 * (type removal, {@code split} naming), so they are keyed where the migration put them; target documents are taken
 * as they are ({@code transform} null).
 */
final class ToComparedFn extends DoFn<SourceDocument, ComparedDocument> {
  private static final long serialVersionUID = 1L;
  private final DocumentTransform transform;
  private final boolean digestOnly;
  /**
   * When set, only documents in these buckets (by target index, {@link BucketSums#bucket}) are kept: a set of bits per
   * index, a few kilobytes however many of its buckets differ.
   */
  private final TreeMap<String, BitSet> onlyBuckets;
  private final int buckets;

  ToComparedFn(DocumentTransform transform) {
    this(transform, false, null, 0);
  }

  private ToComparedFn(DocumentTransform transform, boolean digestOnly, TreeMap<String, BitSet> onlyBuckets, int buckets) {
    this.transform = transform;
    this.digestOnly = digestOnly;
    this.onlyBuckets = onlyBuckets;
    this.buckets = buckets;
  }

  /** Outputs each document with its digest but without its source ({@link ComparedDocument#withoutSource()}). */
  ToComparedFn digestOnly() {
    return new ToComparedFn(transform, true, onlyBuckets, buckets);
  }

  /**
   * Keeps only the documents in these buckets of their target index (bucket numbers out of {@code buckets}):
   * the buckets {@link CompareBuckets} found differing.
   */
  ToComparedFn onlyBuckets(int buckets, Map<String, int[]> differing) {
    TreeMap<String, BitSet> kept = new TreeMap<>();
    differing.forEach((index, numbers) -> {
      BitSet bits = new BitSet(buckets);
      for (int b : numbers) {
        bits.set(b);
      }
      kept.put(index, bits);
    });
    return new ToComparedFn(transform, digestOnly, kept, buckets);
  }

  @ProcessElement
  public void process(@Element SourceDocument document, OutputReceiver<ComparedDocument> out) {
    for (ComparedDocument d : compared(document, transform, onlyBuckets == null ? Keep.ALL : this::inBuckets)) {
      out.output(digestOnly ? d.withoutSource() : d);
    }
  }

  private boolean inBuckets(String index, String id) {
    BitSet kept = onlyBuckets.get(index);
    return kept != null && kept.get(BucketSums.bucket(id, buckets));
  }

  static List<ComparedDocument> compared(SourceDocument document, DocumentTransform transform) {
    return compared(document, transform, Keep.ALL);
  }

  /** Which documents (by target index and id) to make comparable: the others are not digested at all. */
  @FunctionalInterface
  interface Keep {
    Keep ALL = (index, id) -> true;

    boolean test(String index, String id);
  }

  static List<ComparedDocument> compared(SourceDocument document, DocumentTransform transform, Keep keep) {
    List<ComparedDocument> out = new ArrayList<>();
    String originType = transform == null ? null : document.type();
    mapped(document, transform, (index, id, routing, source, oneLine) -> {
      if (keep.test(index, id)) {
        out.add(new ComparedDocument(index, id, routing, source, document.index(), originType));
      }
    });
    return out;
  }

  /**
   * Receives each document the migration made of a read one: target index, id, routing and source as stored, and
   * whether that source is known to be on one line (a transform's output).
   */
  @FunctionalInterface
  interface Mapped {
    void accept(String index, String id, String routing, byte[] source, boolean oneLine);
  }

  /** The documents the migration made of {@code document}; as stored when there is no transform or it fails. */
  static void mapped(SourceDocument document, DocumentTransform transform, Mapped out) {
    if (transform != null && document.hasSource()) {
      List<TargetDocument> targets;
      try {
        targets = transform.apply(document);
      } catch (Exception e) {
        targets = null; // compared as stored: the backfill reported it as not delivered, so it shows as missing or differing
      }
      if (targets != null) {
        for (TargetDocument t : targets) {
          out.accept(t.index(), t.id(), t.routing(), t.source(), true);
        }
        return;
      }
    }
    out.accept(document.index(), document.id(), document.routing(), document.source(), false);
  }
}
