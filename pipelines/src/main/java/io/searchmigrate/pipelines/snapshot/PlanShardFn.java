package io.searchmigrate.pipelines.snapshot;

import io.searchmigrate.snapshot.blob.RepositoryLocation;
import io.searchmigrate.snapshot.lucene.ShardDocumentReader;
import io.searchmigrate.snapshot.lucene.ShardReaders;
import java.io.IOException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies one shard's files, counts its documents and cuts it into slices of Lucene document numbers. A shard that
 * cannot be read (a damaged or missing file) either fails the pipeline or, when failures are reported, becomes one
 * {@link io.searchmigrate.pipelines.opensearch.FailedDocument} on {@link SnapshotIO#UNREADABLE} naming the shard and
 * the problem, and the others go on ({@link ShardPlanFn}).
 */
final class PlanShardFn extends ShardPlanFn {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PlanShardFn.class);

  private final int sliceSize;
  private final boolean verifyChecksums;
  private final Counter luceneDocs = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.LUCENE_DOCS);

  PlanShardFn(RepositoryLocation repository, String snapshot, int sliceSize, boolean verifyChecksums, boolean reportFailures) {
    super(repository, snapshot, reportFailures);
    this.sliceSize = sliceSize;
    this.verifyChecksums = verifyChecksums;
  }

  @Override
  void plan(ShardRef shard, MultiOutputReceiver out) throws IOException {
    int maxDoc;
    long live;
    try (ShardDocumentReader reader = ShardReaders.open(repo.blobs(), repo.shard(snap, shard.index, shard.shard),
        shard.defaultType, verifyChecksums)) {
      maxDoc = reader.maxDoc();
      live = reader.liveDocs();
      LOG.debug("planned {}: {} live of {} Lucene documents, read with {}", shard, live, maxDoc, reader.description());
    }
    luceneDocs.inc(live);
    if (live > 0) {
      slices(shard, maxDoc, sliceSize, null, false, out.get(SnapshotIO.SLICES), slicesPlanned);
    }
  }

  @Override
  String failure() {
    return "its files cannot be read";
  }
}
