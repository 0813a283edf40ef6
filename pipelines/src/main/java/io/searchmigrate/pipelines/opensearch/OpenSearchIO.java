package io.searchmigrate.pipelines.opensearch;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.pipelines.BackfillCounters;
import io.searchmigrate.pipelines.BackfillProgress;
import io.searchmigrate.pipelines.FailedDocument;
import io.searchmigrate.transforms.document.TargetDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;

/**
 * Beam sink that bulk-writes documents into OpenSearch (or Elasticsearch).
 *
 * <pre>{@code
 * PCollection<FailedDocument> failed = documents.apply(
 *     OpenSearchIO.write().to(ClusterEndpoint.of("http://localhost:9200")).withMaxBatchBytes(8 << 20));
 * }</pre>
 *
 * <p>Batches are bounded by bytes and count; each source goes on one NDJSON line; {@code _id} and routing are
 * kept. 429 and 5xx answers are retried with exponential backoff; documents the target rejects for good come
 * out of this transform as {@link FailedDocument}s (its output is the dead-letter stream). Works in the global
 * window (batch pipelines).
 */
public final class OpenSearchIO {
  private OpenSearchIO() {}

  public static Write write() {
    return new Write(null, 5_000, 10L << 20, new Backoff(8, Duration.ofMillis(500), Duration.ofSeconds(30)),
        Duration.ofMinutes(2), null);
  }

  /** Writes documents; outputs the ones that failed. Immutable; configure with {@code with...}. */
  public static final class Write extends PTransform<PCollection<TargetDocument>, PCollection<FailedDocument>> {
    private static final long serialVersionUID = 1L;
    private final ClusterEndpoint target;
    private final int maxBatchDocs;
    private final long maxBatchBytes;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private final String progressRunId;

    private Write(ClusterEndpoint target, int maxBatchDocs, long maxBatchBytes, Backoff backoff, Duration requestTimeout,
        String progressRunId) {
      this.target = target;
      this.maxBatchDocs = maxBatchDocs;
      this.maxBatchBytes = maxBatchBytes;
      this.backoff = backoff;
      this.requestTimeout = requestTimeout;
      this.progressRunId = progressRunId;
    }

    public Write to(ClusterEndpoint endpoint) {
      return new Write(endpoint, maxBatchDocs, maxBatchBytes, backoff, requestTimeout, progressRunId);
    }

    /** Most documents per bulk request (default 5,000). */
    public Write withMaxBatchDocs(int docs) {
      return new Write(target, docs, maxBatchBytes, backoff, requestTimeout, progressRunId);
    }

    /** Most source bytes per bulk request (default 10 MiB; a single bigger document goes alone). */
    public Write withMaxBatchBytes(long bytes) {
      return new Write(target, maxBatchDocs, bytes, backoff, requestTimeout, progressRunId);
    }

    /** Retries of 429/5xx and unreachable targets (default 8 attempts, 0.5 s doubling to 30 s). */
    public Write withBackoff(Backoff retries) {
      return new Write(target, maxBatchDocs, maxBatchBytes, retries, requestTimeout, progressRunId);
    }

    public Write withRequestTimeout(Duration timeout) {
      return new Write(target, maxBatchDocs, maxBatchBytes, backoff, timeout, progressRunId);
    }

    public Write withProgress(String runId) {
      return new Write(target, maxBatchDocs, maxBatchBytes, backoff, requestTimeout, runId);
    }

    @Override
    public PCollection<FailedDocument> expand(PCollection<TargetDocument> input) {
      Objects.requireNonNull(target, "to(target) is required");
      return input.apply("BulkWrite", ParDo.of(new BulkWriteFn(this)))
          .setCoder(SerializableCoder.of(FailedDocument.class));
    }
  }

  /** Buffers a bundle's documents into batches and writes each with {@link BulkWriter}. */
  static final class BulkWriteFn extends DoFn<TargetDocument, FailedDocument> {
    private static final long serialVersionUID = 1L;
    private final Write spec;
    private transient BulkWriter writer;
    private transient List<TargetDocument> batch;
    private transient long batchBytes;
    private transient BackfillCounters counters;
    private transient BackfillProgress progress;

    BulkWriteFn(Write spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      writer = new BulkWriter(ClusterClient.connect(spec.target), spec.backoff, spec.requestTimeout);
      counters = new BackfillCounters();
    }

    @StartBundle
    public void startBundle() {
      batch = new ArrayList<>();
      batchBytes = 0;
      progress = BackfillProgress.of(spec.progressRunId);
    }

    @ProcessElement
    public void process(@Element TargetDocument document, OutputReceiver<FailedDocument> out) {
      if (!batch.isEmpty() && batchBytes + document.source().length > spec.maxBatchBytes) {
        flush(out::output);
      }
      batch.add(document);
      batchBytes += document.source().length;
      if (batch.size() >= spec.maxBatchDocs || batchBytes >= spec.maxBatchBytes) {
        flush(out::output);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      flush(failure -> context.output(failure, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }

    private void flush(Consumer<FailedDocument> failures) {
      if (batch.isEmpty()) {
        return;
      }
      List<TargetDocument> sending = batch;
      batch = new ArrayList<>();
      batchBytes = 0;
      long[] written = {0};
      long bytes = writer.write(sending, new BulkWriter.Outcome() {
        @Override
        public void written(TargetDocument document) {
          written[0]++;
          counters.inc(document.index(), BackfillCounters.Kind.WRITTEN, 1);
        }

        @Override
        public void failed(FailedDocument failure) {
          counters.inc(failure.index(), BackfillCounters.Kind.FAILED, 1);
          progress.failed(1);
          failures.accept(failure);
        }
      });
      progress.written(written[0], bytes);
    }
  }
}
