package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.pipelines.metrics.IndexCounters;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricResult;

/**
 * What a backfill has done so far, read from the Beam metrics of its steps (the snapshot source, the transform and
 * the bulk sink): the same numbers on every runner, during the run and at its end.
 */
public final class BackfillCounts {
  /** The backfill's own counters: documents that could not be turned into target documents. */
  static final String NAMESPACE = "backfill";
  /** Per-index counter: documents stored without a source (cannot be copied). */
  static final String NO_SOURCE = "no_source";
  /** Per-index counter: documents the transform rejected. */
  static final String TRANSFORM_FAILED = "transform_failed";

  /** Counts for one index (source index names for reading, target index names for writing). */
  public static final class IndexCounts {
    public final String index;
    public long read;
    public long nested;
    public long written;
    /** With a previous snapshot: documents deleted on the target (target index names). */
    public long deleted;
    /** With a previous snapshot: documents no longer live where they were (source index names; updated ones too). */
    public long gone;
    /** Documents that failed to transform or to write (in the dead-letter output). */
    public long failed;
    public long noSource;
    /** Shards (or slices of them) of this index that could not be read. */
    public long shardsFailed;
    /** Documents the target holds after the run (after a refresh), -1 if unknown. */
    public long targetCount = -1;

    IndexCounts(String index) {
      this.index = index;
    }
  }

  final Map<String, IndexCounts> indices = new TreeMap<>();

  long shards;
  long shardsPlanned;
  long slicesPlanned;
  long slicesRead;
  long slicesSkipped;
  /** Live Lucene documents in the shards planned so far (nested children included). */
  long luceneDocs;
  long luceneDocsVisited;
  /** With a previous snapshot: segments unchanged since, not read, and segments read. */
  long segmentsSkipped;
  long segmentsRead;
  long bytesWritten;
  long retries;
  /** How long the current trouble with the target has lasted (a gauge; 0 when it accepts documents). */
  long waitingMillis;

  /** The counts in a query of the pipeline's metrics (attempted values: committed ones are not on every runner). */
  static BackfillCounts of(MetricQueryResults metrics) {
    BackfillCounts counts = new BackfillCounts();
    for (MetricResult<Long> counter : metrics.getCounters()) {
      counts.add(counter.getName().getNamespace(), counter.getName().getName(), counter.getAttempted());
    }
    for (MetricResult<GaugeResult> gauge : metrics.getGauges()) {
      if (gauge.getName().getNamespace().equals(OpenSearchIO.METRICS_NAMESPACE)
          && gauge.getName().getName().equals(OpenSearchIO.WAITING_MILLIS) && gauge.getAttempted() != null) {
        counts.waitingMillis = Math.max(counts.waitingMillis, gauge.getAttempted().getValue());
      }
    }
    return counts;
  }

  void add(String namespace, String name, long value) {
    String index = IndexCounters.indexOf(name);
    if (index != null) {
      addPerIndex(namespace, index, IndexCounters.whatOf(name), value);
      return;
    }
    switch (namespace + "/" + name) {
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.SHARDS: shards += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.SHARDS_PLANNED: shardsPlanned += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.SLICES_PLANNED: slicesPlanned += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.SLICES_READ: slicesRead += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.SLICES_SKIPPED: slicesSkipped += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.LUCENE_DOCS: luceneDocs += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.LUCENE_DOCS_VISITED: luceneDocsVisited += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.SEGMENTS_SKIPPED: segmentsSkipped += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.SEGMENTS_READ: segmentsRead += value; break;
      case OpenSearchIO.METRICS_NAMESPACE + "/" + OpenSearchIO.BYTES_WRITTEN: bytesWritten += value; break;
      case OpenSearchIO.METRICS_NAMESPACE + "/" + OpenSearchIO.RETRIES: retries += value; break;
      default: break;
    }
  }

  private void addPerIndex(String namespace, String index, String what, long value) {
    switch (namespace + "/" + what) {
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.DOCUMENTS: index(index).read += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.NESTED: index(index).nested += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.SHARDS_FAILED: index(index).shardsFailed += value; break;
      case SnapshotIO.METRICS_NAMESPACE + "/" + SnapshotIO.GONE: index(index).gone += value; break;
      case OpenSearchIO.METRICS_NAMESPACE + "/" + OpenSearchIO.WRITTEN: index(index).written += value; break;
      case OpenSearchIO.METRICS_NAMESPACE + "/" + OpenSearchIO.DELETED: index(index).deleted += value; break;
      case OpenSearchIO.METRICS_NAMESPACE + "/" + OpenSearchIO.FAILED: index(index).failed += value; break;
      case NAMESPACE + "/" + TRANSFORM_FAILED: index(index).failed += value; break;
      case NAMESPACE + "/" + NO_SOURCE: index(index).noSource += value; break;
      default: break;
    }
  }

  IndexCounts index(String name) {
    return indices.computeIfAbsent(name, IndexCounts::new);
  }

  public Map<String, IndexCounts> indices() {
    return Collections.unmodifiableMap(indices);
  }

  /** Slices an earlier run had finished (by the progress ledger), not read again. */
  public long slicesSkipped() {
    return slicesSkipped;
  }

  public long slicesPlanned() {
    return slicesPlanned;
  }

  public long slicesRead() {
    return slicesRead;
  }

  public long read() {
    return indices.values().stream().mapToLong(c -> c.read).sum();
  }

  public long written() {
    return indices.values().stream().mapToLong(c -> c.written).sum();
  }

  public long deleted() {
    return indices.values().stream().mapToLong(c -> c.deleted).sum();
  }

  public long segmentsSkipped() {
    return segmentsSkipped;
  }

  public long segmentsRead() {
    return segmentsRead;
  }

  public long failed() {
    return indices.values().stream().mapToLong(c -> c.failed).sum();
  }

  public long noSource() {
    return indices.values().stream().mapToLong(c -> c.noSource).sum();
  }

  public long shardsFailed() {
    return indices.values().stream().mapToLong(c -> c.shardsFailed).sum();
  }

  public long nested() {
    return indices.values().stream().mapToLong(c -> c.nested).sum();
  }

  public long luceneDocs() {
    return luceneDocs;
  }

  public long bytesWritten() {
    return bytesWritten;
  }
}
