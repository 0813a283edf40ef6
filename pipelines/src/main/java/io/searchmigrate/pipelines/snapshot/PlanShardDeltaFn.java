package io.searchmigrate.pipelines.snapshot;

import io.searchmigrate.snapshot.blob.RepositoryLocation;
import io.searchmigrate.snapshot.lucene.ShardDelta;
import io.searchmigrate.snapshot.lucene.ShardDocumentReader;
import io.searchmigrate.snapshot.lucene.ShardReaders;
import io.searchmigrate.snapshot.repository.FileInfo;
import io.searchmigrate.snapshot.repository.ShardSnapshot;
import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans what changed in one shard since the previous snapshot ({@link ShardDelta}) as slices that name their documents:
 * slices of the snapshot holding documents live now and not before, and slices of the previous snapshot holding
 * documents live then and not at the same place now ({@link ShardSlice#gone}). {@link ReadSliceFn} reads them as it
 * reads a full backfill's slices, a chunk at a time, so a big delta's memory is bounded the same way. A shard of an
 * index the previous snapshot lacks is planned whole; segments unchanged since are in no slice. Failures as
 * {@link ShardPlanFn} says.
 */
final class PlanShardDeltaFn extends ShardPlanFn {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PlanShardDeltaFn.class);

  private final String previousSnapshot;
  private final int sliceSize;
  private final boolean verifyChecksums;
  private final Counter segmentsSkipped = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SEGMENTS_SKIPPED);
  private final Counter segmentsRead = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SEGMENTS_READ);

  PlanShardDeltaFn(RepositoryLocation repository, String snapshot, String previousSnapshot, int sliceSize,
      boolean verifyChecksums, boolean reportFailures) {
    super(repository, snapshot, reportFailures);
    this.previousSnapshot = previousSnapshot;
    this.sliceSize = sliceSize;
    this.verifyChecksums = verifyChecksums;
  }

  @Override
  void plan(ShardRef shard, MultiOutputReceiver out) throws IOException {
    var previous = repo.snapshot(previousSnapshot);
    ShardSnapshot before = repo.indices(previous).contains(shard.index) ? repo.shard(previous, shard.index, shard.shard) : null;
    // files both snapshots share are the same blob, checked when the earlier snapshot was read: not checked again here
    Set<String> shared = before == null ? Set.of() : before.files().stream().map(FileInfo::blobName).collect(Collectors.toSet());
    try (ShardDocumentReader newer = ShardReaders.open(repo.blobs(), repo.shard(snap, shard.index, shard.shard),
            shard.defaultType, info -> verifyChecksums && !shared.contains(info.blobName()));
        ShardDocumentReader older = before == null ? null : ShardReaders.open(repo.blobs(), before, shard.defaultType, false)) {
      ShardDelta delta = ShardDelta.between(older, newer);
      LOG.debug("delta of {} since '{}': {}", shard, previousSnapshot, delta);
      slices(shard, newer.maxDoc(), sliceSize, delta.changed(), false, out.get(SnapshotIO.SLICES), slicesPlanned);
      if (older != null) {
        slices(shard, older.maxDoc(), sliceSize, delta.gone(), true, out.get(SnapshotIO.SLICES), slicesPlanned);
      }
      segmentsSkipped.inc(delta.segmentsSkipped());
      segmentsRead.inc(delta.segmentsRead());
    }
  }

  @Override
  String failure() {
    return "its changes since snapshot '" + previousSnapshot + "' cannot be read";
  }
}
