package io.searchmigrate.pipelines.snapshot;

import io.searchmigrate.pipelines.metrics.IndexCounters;
import io.searchmigrate.snapshot.blob.RepositoryLocation;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import java.io.IOException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * What planning a shard into slices takes, whatever the plan ({@link PlanShardFn} for a full read,
 * {@link PlanShardDeltaFn} for what changed since a previous snapshot): the repository opened once per worker, and a
 * shard that cannot be read failing the pipeline or, when failures are reported, becoming one record on
 * {@link SnapshotIO#UNREADABLE} naming the shard and the problem while the others go on.
 */
abstract class ShardPlanFn extends DoFn<ShardRef, ShardSlice> {
  private static final long serialVersionUID = 1L;

  private final RepositoryLocation repository;
  private final String snapshot;
  private final boolean reportFailures;
  private final Counter shardsPlanned = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SHARDS_PLANNED);
  final Counter slicesPlanned = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SLICES_PLANNED);
  transient SnapshotRepository repo;
  transient RepositoryData.SnapshotEntry snap;
  transient IndexCounters counters;

  ShardPlanFn(RepositoryLocation repository, String snapshot, boolean reportFailures) {
    this.repository = repository;
    this.snapshot = snapshot;
    this.reportFailures = reportFailures;
  }

  /** Reads what the plan needs and emits the shard's slices on {@link SnapshotIO#SLICES}. */
  abstract void plan(ShardRef shard, MultiOutputReceiver out) throws IOException;

  /** What could not be read, for the failure record ("its files cannot be read"). */
  abstract String failure();

  @Setup
  public void setup() throws IOException {
    repo = SnapshotRepository.open(repository.open());
    snap = repo.snapshot(snapshot);
    counters = new IndexCounters(SnapshotIO.METRICS_NAMESPACE);
  }

  @ProcessElement
  public void process(@Element ShardRef shard, MultiOutputReceiver out) throws IOException {
    try {
      plan(shard, out);
    } catch (IOException | RuntimeException e) {
      if (!reportFailures) {
        throw e;
      }
      counters.inc(shard.index, SnapshotIO.SHARDS_FAILED, 1);
      out.get(SnapshotIO.UNREADABLE).output(SnapshotIO.shardFailure(shard.index, shard.shard, failure(), e));
    } finally {
      shardsPlanned.inc();
    }
  }

  /** Emits slices of at most {@code size} document numbers over [0, maxDoc) holding any of {@code docs} (all: null). */
  static void slices(ShardRef shard, int maxDoc, int size, java.util.BitSet docs, boolean gone,
      OutputReceiver<ShardSlice> out, Counter planned) {
    for (int from = 0; from < maxDoc; from += size) {
      int to = (int) Math.min((long) from + size, maxDoc);
      if (docs == null) {
        out.output(new ShardSlice(shard, from, to));
      } else {
        java.util.BitSet only = docs.get(from, to);
        if (only.isEmpty()) {
          continue;
        }
        out.output(new ShardSlice(shard, from, to, only, gone));
      }
      planned.inc();
    }
  }

  @Teardown
  public void teardown() throws IOException {
    if (repo != null) {
      repo.close();
    }
  }
}
