package io.searchmigrate.validation;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.transforms.document.DocumentTransform;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * The first, cheap look at two sides: each side's documents are summed per (target index, bucket of ids) as they are
 * read ({@link BucketSums}: a count and a sum of fingerprints), only those sums are joined, and each index gets a
 * {@link BucketVerdict}: the documents of buckets both sides hold alike are equal; the differing buckets are what
 * {@link CompareDocuments} then compares document by document. A run where everything matches never joins a
 * document; the join's cost (the DirectRunner copies each group's state for every bundle that adds to it) is paid only
 * for the buckets that differ.
 *
 * <pre>{@code
 * PCollection<BucketVerdict> verdicts = PCollectionTuple.of(CompareBuckets.SOURCE, sourceDocs)
 *     .and(CompareBuckets.TARGET, targetDocs)
 *     .apply(CompareBuckets.over(4096).withSourceTransform(DocumentTransforms.standard()));
 * }</pre>
 */
public final class CompareBuckets extends PTransform<PCollectionTuple, PCollection<BucketVerdict>> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<SourceDocument> SOURCE = new TupleTag<>() {};
  public static final TupleTag<SourceDocument> TARGET = new TupleTag<>() {};
  private static final TupleTag<byte[]> SOURCE_SUMS = new TupleTag<>() {};
  private static final TupleTag<byte[]> TARGET_SUMS = new TupleTag<>() {};

  private final int buckets;
  private final DocumentTransform sourceTransform;

  private CompareBuckets(int buckets, DocumentTransform sourceTransform) {
    this.buckets = buckets;
    this.sourceTransform = sourceTransform;
  }

  /** Sums each index in this many buckets of ids (more buckets: fewer documents to join where one differs). */
  public static CompareBuckets over(int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be at least 1, not " + buckets);
    }
    return new CompareBuckets(buckets, null);
  }

  /** Maps source documents as the migration did (type removal, split naming) before summing them; none by default. */
  public CompareBuckets withSourceTransform(DocumentTransform transform) {
    return new CompareBuckets(buckets, transform);
  }

  @Override
  public PCollection<BucketVerdict> expand(PCollectionTuple sides) {
    KvCoder<String, byte[]> sums = KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of());
    return KeyedPCollectionTuple
        .of(SOURCE_SUMS, sides.get(SOURCE).apply("SumSource", ParDo.of(new SumFn(sourceTransform, buckets))).setCoder(sums))
        .and(TARGET_SUMS, sides.get(TARGET).apply("SumTarget", ParDo.of(new SumFn(null, buckets))).setCoder(sums))
        .apply("ByIndex", CoGroupByKey.create())
        .apply("CompareSums", ParDo.of(new VerdictFn()))
        .setCoder(SerializableCoder.of(BucketVerdict.class));
  }

  /**
   * Sums a bundle's documents per target index and hands each index's sums on once, at the end of the bundle: the
   * join then holds a few arrays per index, never a document.
   */
  static final class SumFn extends DoFn<SourceDocument, KV<String, byte[]>> {
    private static final long serialVersionUID = 1L;
    private final DocumentTransform transform;
    private final int buckets;
    private transient Map<String, BucketSums> sums;
    private transient Instant earliest;

    SumFn(DocumentTransform transform, int buckets) {
      this.transform = transform;
      this.buckets = buckets;
    }

    @StartBundle
    public void start() {
      sums = new TreeMap<>();
      earliest = null;
    }

    @ProcessElement
    public void process(@Element SourceDocument document, @Timestamp Instant timestamp) {
      // no source is parsed here: sums are over sources as stored (BucketSums#fingerprint)
      ToComparedFn.mapped(document, transform, (index, id, routing, source, oneLine) ->
          sums.computeIfAbsent(index, i -> new BucketSums(buckets)).add(id, routing, source, oneLine));
      earliest = earliest == null || timestamp.isBefore(earliest) ? timestamp : earliest;
    }

    @FinishBundle
    public void finish(FinishBundleContext context) {
      sums.forEach((index, s) -> context.output(KV.of(index, s.encode()), earliest, GlobalWindow.INSTANCE));
      sums.clear();
    }
  }

  /** Adds up each side's sums of one index and compares them bucket by bucket. */
  static final class VerdictFn extends DoFn<KV<String, CoGbkResult>, BucketVerdict> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> index, OutputReceiver<BucketVerdict> out) {
      out.output(BucketVerdict.of(index.getKey(), total(index.getValue().getAll(SOURCE_SUMS)),
          total(index.getValue().getAll(TARGET_SUMS))));
    }

    private static BucketSums total(Iterable<byte[]> encoded) {
      BucketSums total = null;
      for (byte[] bytes : encoded) {
        if (total == null) {
          total = new BucketSums(BucketSums.bucketsOf(bytes));
        }
        total.addEncoded(bytes);
      }
      return total;
    }
  }
}
