package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Compares two sides document by document: both are keyed by (target index, {@code _id}), grouped with
 * {@code CoGroupByKey} (per document, or in buckets of many keys with {@link #withBuckets(int)}), and each key gets
 * one {@link Comparison}.
 *
 * <pre>{@code
 * PCollection<Comparison> found = PCollectionTuple.of(CompareDocuments.SOURCE, sourceDocs)
 *     .and(CompareDocuments.TARGET, targetDocs).apply(new CompareDocuments().withBuckets(400));
 * }</pre>
 *
 * <p>An id the source holds more than once under one target index (two types of an Elasticsearch 5 index merged
 * into one) can only be held once by the target: the copy the target matches is compared, the others are
 * {@code missing}.
 */
public final class CompareDocuments extends PTransform<PCollectionTuple, PCollection<Comparison>> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<ComparedDocument> SOURCE = new TupleTag<>() {};
  public static final TupleTag<ComparedDocument> TARGET = new TupleTag<>() {};
  private static final TupleTag<byte[]> SOURCE_LISTS = new TupleTag<>() {};
  private static final TupleTag<byte[]> TARGET_LISTS = new TupleTag<>() {};
  /** How a list of documents travels through the join: encoded once, so that the runner's copies are of bytes. */
  private static final Coder<List<ComparedDocument>> LIST = ListCoder.of(ComparisonCoders.document());

  private final int buckets;

  /** One group per (index, {@code _id}). */
  public CompareDocuments() {
    this(0);
  }

  private CompareDocuments(int buckets) {
    this.buckets = buckets;
  }

  /**
   * Groups documents into this many buckets (by a hash of index and {@code _id}) instead of one group per document,
   * and joins each bucket in memory. Same findings, far fewer groups: the DirectRunner spends about as much per group
   * as reading a document costs (BENCHMARKS.md, Validation). Only one bucket's target side is held in memory at a
   * time, so choose about {@code documents / 500}. 0 (the default) keeps one group per document.
   */
  public CompareDocuments withBuckets(int buckets) {
    if (buckets < 0) {
      throw new IllegalArgumentException("buckets must be 0 (one group per document) or more, not " + buckets);
    }
    return new CompareDocuments(buckets);
  }

  @Override
  public PCollection<Comparison> expand(PCollectionTuple sides) {
    return KeyedPCollectionTuple.of(SOURCE_LISTS, keyed(sides.get(SOURCE), "KeySource"))
        .and(TARGET_LISTS, keyed(sides.get(TARGET), "KeyTarget"))
        .apply(buckets > 0 ? "ByBucket" : "ByIndexAndId", CoGroupByKey.create())
        .apply("Classify", ParDo.of(new ClassifyFn()))
        .setCoder(ComparisonCoders.comparison());
  }

  /**
   * Each side keyed by its group, as encoded lists: in buckets, one list per bucket and bundle ({@link BatchByBucketFn}).
   * The DirectRunner copies a group's whole state, value by value through its coder, for every bundle that adds to it
   * (BENCHMARKS.md, Validation): one array of bytes for a bundle's documents is one cheap value where each document was
   * one to encode and decode again.
   */
  private PCollection<KV<String, byte[]>> keyed(PCollection<ComparedDocument> docs, String name) {
    PCollection<KV<String, byte[]>> keyed = buckets > 0
        ? docs.apply(name, ParDo.of(new BatchByBucketFn(buckets)))
        : docs.apply(name, MapElements.via(new SimpleFunction<ComparedDocument, KV<String, byte[]>>() {
          @Override
          public KV<String, byte[]> apply(ComparedDocument d) {
            return KV.of(d.key(), encode(List.of(d)));
          }
        }));
    return keyed.setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()));
  }

  private static byte[] encode(List<ComparedDocument> documents) {
    try {
      return CoderUtils.encodeToByteArray(LIST, documents);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot encode documents to compare: " + e.getMessage(), e);
    }
  }

  private static Iterable<ComparedDocument> decode(Iterable<byte[]> lists) {
    return () -> StreamSupport.stream(lists.spliterator(), false).flatMap(bytes -> {
      try {
        return CoderUtils.decodeFromByteArray(LIST, bytes).stream();
      } catch (CoderException e) {
        throw new IllegalStateException("cannot decode documents to compare: " + e.getMessage(), e);
      }
    }).iterator();
  }

  /**
   * Gathers a bundle's documents by bucket (a hash of index and {@code _id}) and hands each bucket's on as one list,
   * at the end of the bundle or once it holds {@value #MOST_PER_LIST} documents.
   */
  static final class BatchByBucketFn extends DoFn<ComparedDocument, KV<String, byte[]>> {
    private static final long serialVersionUID = 1L;
    static final int MOST_PER_LIST = 2_000;
    private final int buckets;
    private transient Map<String, List<ComparedDocument>> gathered;
    private transient Instant earliest;

    BatchByBucketFn(int buckets) {
      this.buckets = buckets;
    }

    @StartBundle
    public void start() {
      gathered = new HashMap<>();
      earliest = null;
    }

    @ProcessElement
    public void process(@Element ComparedDocument document, @Timestamp Instant timestamp,
        OutputReceiver<KV<String, byte[]>> out) {
      String bucket = Integer.toString(Math.floorMod(document.key().hashCode(), buckets));
      List<ComparedDocument> list = gathered.computeIfAbsent(bucket, b -> new ArrayList<>());
      list.add(document);
      earliest = earliest == null || timestamp.isBefore(earliest) ? timestamp : earliest;
      if (list.size() >= MOST_PER_LIST) {
        out.output(KV.of(bucket, encode(list)));
        list.clear();
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext context) {
      for (Map.Entry<String, List<ComparedDocument>> bucket : new TreeMap<>(gathered).entrySet()) {
        if (!bucket.getValue().isEmpty()) {
          context.output(KV.of(bucket.getKey(), encode(bucket.getValue())), earliest, GlobalWindow.INSTANCE);
        }
      }
      gathered.clear();
    }
  }

  /**
   * Joins one group (one document's key, or a bucket of keys) by key: the target side is held in a map, the source side
   * streamed past it. An id the target holds is compared with the source copy whose source equals it, if any, else
   * with the first copy; other copies are missing.
   */
  static final class ClassifyFn extends DoFn<KV<String, CoGbkResult>, Comparison> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> group, OutputReceiver<Comparison> out) {
      Map<String, ComparedDocument> targets = new LinkedHashMap<>();
      for (ComparedDocument t : decode(group.getValue().getAll(TARGET_LISTS))) {
        targets.put(t.key(), t); // ids are unique within a target index
      }
      Set<String> matched = new HashSet<>();
      Map<String, List<ComparedDocument>> unmatched = new HashMap<>();
      for (ComparedDocument s : decode(group.getValue().getAll(SOURCE_LISTS))) {
        String key = s.key();
        ComparedDocument target = targets.get(key);
        if (target == null || matched.contains(key)) {
          out.output(Comparison.of(s.index(), s.id(), s, null));
        } else if (s.sameSource(target)) {
          matched.add(key);
          out.output(Comparison.of(s.index(), s.id(), s, target));
        } else {
          unmatched.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
      }
      for (ComparedDocument target : targets.values()) {
        List<ComparedDocument> copies = unmatched.getOrDefault(target.key(), List.of());
        boolean found = matched.contains(target.key());
        if (!found) {
          out.output(Comparison.of(target.index(), target.id(), copies.isEmpty() ? null : copies.get(0), target));
        }
        for (ComparedDocument s : found ? copies : copies.subList(Math.min(1, copies.size()), copies.size())) {
          out.output(Comparison.of(s.index(), s.id(), s, null));
        }
      }
    }
  }

  /**
   * The findings as JSON lines: one {@code {"count":n,"index":..,"category":..}} per index and category, and every
   * document that is not equal as its {@link Comparison#toJsonLine()} (with {@code "difference":true}).
   */
  public static final class ToReportLines extends PTransform<PCollection<Comparison>, PCollection<String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public PCollection<String> expand(PCollection<Comparison> comparisons) {
      PCollection<String> counts = comparisons
          .apply("IndexAndCategory", MapElements.into(TypeDescriptors.strings())
              .via((Comparison c) -> c.index() + '\u0000' + c.category().label()))
          .apply("CountPerIndexAndCategory", Count.perElement())
          .apply("CountLines", MapElements.into(TypeDescriptors.strings()).via((KV<String, Long> kv) -> countLine(kv)));
      PCollection<String> differences = comparisons
          .apply("NotEqual", Filter.by((Comparison c) -> c.category() != Category.EQUAL))
          .apply("DifferenceLines", MapElements.into(TypeDescriptors.strings()).via((Comparison c) -> {
            ObjectNode line = c.toJson();
            line.put("difference", true);
            return Json.toString(line);
          }));
      return PCollectionList.of(counts).and(differences).apply("AllLines", Flatten.pCollections());
    }

    private static String countLine(KV<String, Long> kv) {
      int cut = kv.getKey().indexOf('\u0000');
      return Json.toString(Json.object().put("count", kv.getValue()).put("index", kv.getKey().substring(0, cut))
          .put("category", kv.getKey().substring(cut + 1)));
    }
  }

  static boolean isDifferenceLine(JsonNode line) {
    return line.path("difference").asBoolean(false);
  }
}
