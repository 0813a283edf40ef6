package io.searchmigrate.pipelines.opensearch;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.pipelines.metrics.IndexCounters;
import io.searchmigrate.transforms.document.TargetDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * Beam sink that bulk-writes documents into OpenSearch (or Elasticsearch).
 *
 * <pre>{@code
 * PCollection<FailedDocument> failed = documents.apply(
 *     OpenSearchIO.write().to(ClusterEndpoint.of("http://localhost:9200")).withMaxBatchBytes(8 << 20));
 * }</pre>
 *
 * <p>Steps: {@code ToBulkLines} (each document as its action and source lines, {@code _id} and routing kept) →
 * {@code Batch} (bounded by count and bytes) → {@code WriteBatches} ({@code _bulk}). A target that is away or
 * answers something other than a bulk answer is waited for with backoff, up to
 * {@link Write#withTargetUnavailableTimeout(Duration)}, then the run stops; a whole request refused (400, 404, 413)
 * is split until the documents at fault are alone. Only documents the target rejects for themselves come out of the
 * transform, as {@link FailedDocument}s in the window of the document that failed: the output is the dead-letter
 * stream.
 *
 * <p>By default a batch is cut from the documents of one bundle, which costs nothing but makes batch sizes depend on
 * the runner's bundles. {@link Write#withStatefulBatches(int)} groups documents with Beam's stateful
 * {@code GroupIntoBatches} instead (as Beam's ElasticsearchIO offers): full batches whatever the bundles, at the cost
 * of a shuffle; use it for streaming pipelines, together with {@link Write#withMaxBufferingDuration(Duration)}.
 *
 * <p>Metrics, namespace {@value #METRICS_NAMESPACE}: {@code <index>|written} and {@code <index>|failed} documents
 * (target index names), {@code bytes_written}, {@code retries} and the gauge {@code waiting_millis}.
 */
public final class OpenSearchIO {
  public static final String METRICS_NAMESPACE = "OpenSearchIO";
  /** Per-index counter: documents the target acknowledged. */
  public static final String WRITTEN = "written";
  /** Per-index counter: deletes the target acknowledged (with {@link Write#asDeletes()}). */
  public static final String DELETED = "deleted";
  /** Per-index counter: documents in the failure output. */
  public static final String FAILED = "failed";
  /** Counter: bulk body bytes of the acknowledged requests. */
  public static final String BYTES_WRITTEN = "bytes_written";
  /** Counter: tries that found the target away or answering something other than a bulk answer. */
  public static final String RETRIES = "retries";
  /** Gauge: how long the current trouble with the target has lasted, in ms (0 once it accepts documents again). */
  public static final String WAITING_MILLIS = "waiting_millis";
  /** How long a target may stay away before a run gives up (a rolling restart of a big cluster fits in it). */
  public static final Duration DEFAULT_TARGET_UNAVAILABLE_TIMEOUT = Duration.ofMinutes(30);

  private OpenSearchIO() {}

  /** Reads every document of a live cluster's chosen indices: see {@link OpenSearchRead}. */
  public static OpenSearchRead read() {
    return OpenSearchRead.create();
  }

  public static Write write() {
    return new Write(null, 5_000, 10L << 20, Backoff.waitingUpTo(DEFAULT_TARGET_UNAVAILABLE_TIMEOUT), Duration.ofMinutes(2), 0,
        null);
  }

  /** Writes documents; outputs the ones that failed. Immutable; configure with {@code with...}. */
  public static final class Write extends PTransform<PCollection<TargetDocument>, PCollection<FailedDocument>> {
    private static final long serialVersionUID = 1L;
    private final ClusterEndpoint target;
    private final int maxBatchDocs;
    private final long maxBatchBytes;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private final int statefulParallelRequests;
    private final Duration maxBufferingDuration;

    private Write(ClusterEndpoint target, int maxBatchDocs, long maxBatchBytes, Backoff backoff, Duration requestTimeout,
        int statefulParallelRequests, Duration maxBufferingDuration) {
      this.target = target;
      this.maxBatchDocs = maxBatchDocs;
      this.maxBatchBytes = maxBatchBytes;
      this.backoff = backoff;
      this.requestTimeout = requestTimeout;
      this.statefulParallelRequests = statefulParallelRequests;
      this.maxBufferingDuration = maxBufferingDuration;
    }

    public Write to(ClusterEndpoint endpoint) {
      return new Write(endpoint, maxBatchDocs, maxBatchBytes, backoff, requestTimeout, statefulParallelRequests,
          maxBufferingDuration);
    }

    /** Most documents per bulk request (default 5,000). */
    public Write withMaxBatchDocs(int docs) {
      if (docs < 1) {
        throw new IllegalArgumentException("a batch holds at least one document, not " + docs);
      }
      return new Write(target, docs, maxBatchBytes, backoff, requestTimeout, statefulParallelRequests, maxBufferingDuration);
    }

    /** Most bytes per bulk request (default 10 MiB; a single bigger document goes alone). */
    public Write withMaxBatchBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("a batch holds at least one byte, not " + bytes);
      }
      return new Write(target, maxBatchDocs, bytes, backoff, requestTimeout, statefulParallelRequests, maxBufferingDuration);
    }

    /**
     * How long to wait for a target that is away or answers nonsense (unreachable, timeouts, 429, 5xx, a 200 that is
     * not a bulk answer) before the run stops with an error (default 30 min). Nothing is dead-lettered for it.
     */
    public Write withTargetUnavailableTimeout(Duration timeout) {
      return withBackoff(backoff.withGiveUpAfter(timeout));
    }

    /** The waits between tries while the target is in trouble (default 0.5 s doubling to 30 s, for 30 min). */
    public Write withBackoff(Backoff retries) {
      return new Write(target, maxBatchDocs, maxBatchBytes, retries, requestTimeout, statefulParallelRequests,
          maxBufferingDuration);
    }

    public Write withRequestTimeout(Duration timeout) {
      return new Write(target, maxBatchDocs, maxBatchBytes, backoff, timeout, statefulParallelRequests, maxBufferingDuration);
    }

    /**
     * Batches with Beam's stateful {@code GroupIntoBatches} over {@code parallelRequests} keys (so at most that many
     * bulk requests run at once per window), instead of within bundles. 0 turns it off (the default).
     */
    public Write withStatefulBatches(int parallelRequests) {
      if (parallelRequests < 0) {
        throw new IllegalArgumentException("parallel requests must be 0 (off) or more, not " + parallelRequests);
      }
      return new Write(target, maxBatchDocs, maxBatchBytes, backoff, requestTimeout, parallelRequests, maxBufferingDuration);
    }

    /** With stateful batches: the longest a document waits for its batch to fill (default: until the window ends). */
    public Write withMaxBufferingDuration(Duration duration) {
      return new Write(target, maxBatchDocs, maxBatchBytes, backoff, requestTimeout, statefulParallelRequests, duration);
    }

    /**
     * Deletes the documents it is given (by index, {@code _id} and routing; sources are not sent) instead of indexing
     * them, with the same batching and retries. A document the target does not hold counts as deleted; a missing index
     * is a failure. Acknowledged deletes are counted as {@value #DELETED}.
     */
    public PTransform<PCollection<TargetDocument>, PCollection<FailedDocument>> asDeletes() {
      Write write = this;
      return new PTransform<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public PCollection<FailedDocument> expand(PCollection<TargetDocument> input) {
          return write.writeItems(input.apply("ToDeleteLines",
              MapElements.into(TypeDescriptor.of(BulkItem.class)).via(BulkItem::deleteOf)));
        }
      };
    }

    /** This sink's configuration, to be called in place from another step ({@link Inline}). */
    public Inline inline() {
      return new Inline(target, maxBatchDocs, maxBatchBytes, backoff, requestTimeout);
    }

    @Override
    public PCollection<FailedDocument> expand(PCollection<TargetDocument> input) {
      return writeItems(input.apply("ToBulkLines", MapElements.into(TypeDescriptor.of(BulkItem.class)).via(BulkItem::of)));
    }

    private PCollection<FailedDocument> writeItems(PCollection<BulkItem> bulkItems) {
      Objects.requireNonNull(target, "to(target) is required");
      PCollection<BulkItem> items = bulkItems.setCoder(BulkItem.coder());
      PCollection<Iterable<BulkItem>> batches;
      if (statefulParallelRequests > 0) {
        GroupIntoBatches<Integer, BulkItem> group = GroupIntoBatches.<Integer, BulkItem>ofSize(maxBatchDocs)
            .withByteSize(maxBatchBytes, BulkItem::size);
        if (maxBufferingDuration != null) {
          group = group.withMaxBufferingDuration(org.joda.time.Duration.millis(maxBufferingDuration.toMillis()));
        }
        batches = items
            .apply("KeyForBatching", ParDo.of(new SpreadOverKeysFn(statefulParallelRequests)))
            .setCoder(KvCoder.of(VarIntCoder.of(), BulkItem.coder()))
            .apply("Batch", group)
            .apply("DropKeys", Values.create());
      } else {
        batches = items.apply("Batch", ParDo.of(new BatchInBundleFn(maxBatchDocs, maxBatchBytes)));
      }
      return batches.setCoder(IterableCoder.of(BulkItem.coder()))
          .apply("WriteBatches", ParDo.of(new WriteBatchFn(target, backoff, requestTimeout)))
          .setCoder(FailedDocument.coder());
    }
  }

  /** Gives each item one of n keys at random, so n batches fill (and n requests run) at once. */
  static final class SpreadOverKeysFn extends DoFn<BulkItem, KV<Integer, BulkItem>> {
    private static final long serialVersionUID = 1L;
    private final int keys;

    SpreadOverKeysFn(int keys) {
      this.keys = keys;
    }

    @ProcessElement
    public void process(@Element BulkItem item, OutputReceiver<KV<Integer, BulkItem>> out) {
      out.output(KV.of(ThreadLocalRandom.current().nextInt(keys), item));
    }
  }

  /**
   * Cuts batches from the items of one bundle, one buffer per window so that every batch (and every failure coming
   * from it) stays in the window of its documents. What is left at the end of the bundle goes out then.
   */
  static final class BatchInBundleFn extends DoFn<BulkItem, Iterable<BulkItem>> {
    private static final long serialVersionUID = 1L;
    private final int maxDocs;
    private final long maxBytes;
    private transient Map<BoundedWindow, Batch> open;

    BatchInBundleFn(int maxDocs, long maxBytes) {
      this.maxDocs = maxDocs;
      this.maxBytes = maxBytes;
    }

    private static final class Batch {
      final List<BulkItem> items = new ArrayList<>();
      long bytes;
      Instant latest = BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @StartBundle
    public void startBundle() {
      open = new LinkedHashMap<>();
    }

    @ProcessElement
    public void process(@Element BulkItem item, @org.apache.beam.sdk.transforms.DoFn.Timestamp Instant timestamp,
        BoundedWindow window, OutputReceiver<Iterable<BulkItem>> out) {
      Batch batch = open.computeIfAbsent(window, w -> new Batch());
      if (!batch.items.isEmpty() && batch.bytes + item.size() > maxBytes) {
        out.output(batch.items);
        batch = new Batch();
        open.put(window, batch);
      }
      batch.items.add(item);
      batch.bytes += item.size();
      if (timestamp.isAfter(batch.latest)) {
        batch.latest = timestamp;
      }
      if (batch.items.size() >= maxDocs || batch.bytes >= maxBytes) {
        out.output(batch.items);
        open.remove(window);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      open.forEach((window, batch) -> context.output(batch.items, batch.latest, window));
      open.clear();
    }
  }

  /** Sends each batch with {@link BulkWriter}; outputs what failed for good. */
  static final class WriteBatchFn extends DoFn<Iterable<BulkItem>, FailedDocument> {
    private static final long serialVersionUID = 1L;
    private final ClusterEndpoint target;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private transient CountingWriter writer;

    WriteBatchFn(ClusterEndpoint target, Backoff backoff, Duration requestTimeout) {
      this.target = target;
      this.backoff = backoff;
      this.requestTimeout = requestTimeout;
    }

    @Setup
    public void setup() {
      writer = new CountingWriter(target, backoff, requestTimeout);
    }

    @ProcessElement
    public void process(@Element Iterable<BulkItem> batch, OutputReceiver<FailedDocument> out) {
      List<BulkItem> items = new ArrayList<>();
      batch.forEach(items::add);
      writer.write(items, out::output);
    }
  }

  /** {@link BulkWriter} with the sink's metrics: documents written, deleted and failed per index, bytes, retries. */
  private static final class CountingWriter {
    private final BulkWriter writer;
    private final IndexCounters counters = new IndexCounters(METRICS_NAMESPACE);
    private final Counter bytesWritten = Metrics.counter(METRICS_NAMESPACE, BYTES_WRITTEN);
    private final Counter retries = Metrics.counter(METRICS_NAMESPACE, RETRIES);
    private final Gauge waitingMillis = Metrics.gauge(METRICS_NAMESPACE, WAITING_MILLIS);

    CountingWriter(ClusterEndpoint target, Backoff backoff, Duration requestTimeout) {
      writer = new BulkWriter(ClusterClient.connect(target), backoff, requestTimeout);
    }

    /** Sends the batch until every item is written or failed for good; the failures go to {@code failed}. */
    void write(List<BulkItem> items, Consumer<FailedDocument> failed) {
      // acknowledged documents are counted per index once per batch, not per document (a counter costs a lookup)
      Map<String, long[]> acknowledged = new HashMap<>();
      try {
        write(items, failed, acknowledged);
      } finally {
        acknowledged.forEach((index, n) -> {
          counters.inc(index, WRITTEN, n[0]);
          counters.inc(index, DELETED, n[1]);
        });
      }
    }

    private void write(List<BulkItem> items, Consumer<FailedDocument> failed, Map<String, long[]> acknowledged) {
      long bytes = writer.write(items, new BulkWriter.Outcome() {
        private String lastIndex;
        private long[] last;

        @Override
        public void written(BulkItem item) {
          if (!item.index().equals(lastIndex)) {
            lastIndex = item.index();
            last = acknowledged.computeIfAbsent(lastIndex, index -> new long[2]);
          }
          last[item.isDelete() ? 1 : 0]++;
        }

        @Override
        public void failed(FailedDocument failure) {
          counters.inc(failure.index(), FAILED, 1);
          failed.accept(failure);
        }

        @Override
        public void waiting(String reason, long troubledMillis) {
          retries.inc();
          waitingMillis.set(Math.max(1, troubledMillis));
        }
      });
      waitingMillis.set(0);
      bytesWritten.inc(bytes);
    }
  }

  /**
   * The sink called in place, for a step that must know when its documents have arrived: {@link #add} batches,
   * {@link #flush} sends what is pending and returns once every document was written or failed for good. At most one
   * batch is held. Opened with {@link Write#inline()}, one per worker thread.
   *
   * <pre>{@code
   * OpenSearchIO.Inline writer = OpenSearchIO.write().to(target).inline();
   * writer.open();
   * writer.add(document, deadLetters::add);
   * boolean allArrived = writer.flush(deadLetters::add) == 0;
   * }</pre>
   */
  public static final class Inline implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final ClusterEndpoint target;
    private final int maxDocs;
    private final long maxBytes;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private transient CountingWriter writer;
    private transient List<BulkItem> pending;
    private transient long pendingBytes;
    private transient long failedSinceFlush;

    private Inline(ClusterEndpoint target, int maxDocs, long maxBytes, Backoff backoff, Duration requestTimeout) {
      this.target = Objects.requireNonNull(target, "to(target) is required");
      this.maxDocs = maxDocs;
      this.maxBytes = maxBytes;
      this.backoff = backoff;
      this.requestTimeout = requestTimeout;
    }

    public void open() {
      writer = new CountingWriter(target, backoff, requestTimeout);
      pending = new ArrayList<>();
      pendingBytes = 0;
      failedSinceFlush = 0;
    }

    /** Adds a document to the batch, sending the batch when it is full. */
    public void add(TargetDocument document, Consumer<FailedDocument> failed) {
      BulkItem item = BulkItem.of(document);
      if (!pending.isEmpty() && pendingBytes + item.size() > maxBytes) {
        send(failed);
      }
      pending.add(item);
      pendingBytes += item.size();
      if (pending.size() >= maxDocs || pendingBytes >= maxBytes) {
        send(failed);
      }
    }

    /** Sends what is pending; returns how many documents failed for good since the last flush. */
    public long flush(Consumer<FailedDocument> failed) {
      if (!pending.isEmpty()) {
        send(failed);
      }
      long failures = failedSinceFlush;
      failedSinceFlush = 0;
      return failures;
    }

    private void send(Consumer<FailedDocument> failed) {
      List<BulkItem> batch = pending;
      pending = new ArrayList<>();
      pendingBytes = 0;
      writer.write(batch, failure -> {
        failedSinceFlush++;
        failed.accept(failure);
      });
    }
  }
}
