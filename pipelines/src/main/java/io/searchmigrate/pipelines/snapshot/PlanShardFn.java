package io.searchmigrate.pipelines.snapshot;

import io.searchmigrate.snapshot.blob.RepositoryLocation;
import io.searchmigrate.snapshot.lucene.ShardDocumentReader;
import io.searchmigrate.snapshot.lucene.ShardReaders;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import java.io.IOException;
import io.searchmigrate.pipelines.metrics.IndexCounters;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies one shard's files, counts its documents and cuts it into slices of Lucene document numbers. A shard that
 * cannot be read (a damaged or missing file) either fails the pipeline or, when failures are reported, becomes one
 * {@link FailedDocument} on {@link SnapshotIO#UNREADABLE} naming the shard and the problem, and the others go on.
 */
final class PlanShardFn extends DoFn<ShardRef, ShardSlice> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PlanShardFn.class);

  private final RepositoryLocation repository;
  private final String snapshot;
  private final int sliceSize;
  private final boolean verifyChecksums;
  private final boolean reportFailures;
  private final Counter shardsPlanned = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SHARDS_PLANNED);
  private final Counter slicesPlanned = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SLICES_PLANNED);
  private final Counter luceneDocs = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.LUCENE_DOCS);
  private transient SnapshotRepository repo;
  private transient RepositoryData.SnapshotEntry snap;

  private transient IndexCounters counters;

  PlanShardFn(RepositoryLocation repository, String snapshot, int sliceSize, boolean verifyChecksums, boolean reportFailures) {
    this.repository = repository;
    this.snapshot = snapshot;
    this.sliceSize = sliceSize;
    this.verifyChecksums = verifyChecksums;
    this.reportFailures = reportFailures;
  }

  @Setup
  public void setup() {
    repo = SnapshotRepository.open(repository.open());
    snap = repo.snapshot(snapshot);
    counters = new IndexCounters(SnapshotIO.METRICS_NAMESPACE);
  }

  @ProcessElement
  public void process(@Element ShardRef shard, MultiOutputReceiver out) throws IOException {
    int maxDoc;
    long live;
    try (ShardDocumentReader reader = ShardReaders.open(repo.blobs(), repo.shard(snap, shard.index, shard.shard),
        shard.defaultType, verifyChecksums)) {
      maxDoc = reader.maxDoc();
      live = reader.liveDocs();
      LOG.debug("planned {}: {} live of {} Lucene documents, read with {}", shard, live, maxDoc, reader.description());
    } catch (IOException | RuntimeException e) {
      if (!reportFailures) {
        throw e;
      }
      shardsPlanned.inc();
      counters.inc(shard.index, SnapshotIO.SHARDS_FAILED, 1);
      out.get(SnapshotIO.UNREADABLE).output(SnapshotIO.shardFailure(shard.index, shard.shard, "its files cannot be read", e));
      return;
    }
    int slices = live == 0 ? 0 : (maxDoc + sliceSize - 1) / sliceSize;
    shardsPlanned.inc();
    slicesPlanned.inc(slices);
    luceneDocs.inc(live);
    for (int i = 0; i < slices; i++) {
      out.get(SnapshotIO.SLICES).output(new ShardSlice(shard, i * sliceSize, (int) Math.min((long) (i + 1) * sliceSize, maxDoc)));
    }
  }

  @Teardown
  public void teardown() throws IOException {
    if (repo != null) {
      repo.close();
    }
  }
}
