package io.searchmigrate.pipelines.snapshot;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.pipelines.metrics.IndexCounters;
import io.searchmigrate.snapshot.blob.RepositoryLocation;
import io.searchmigrate.snapshot.lucene.ShardDelta;
import io.searchmigrate.snapshot.lucene.ShardDocumentReader;
import io.searchmigrate.snapshot.lucene.ShardReaders;
import io.searchmigrate.snapshot.repository.FileInfo;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.ShardSnapshot;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import java.io.IOException;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what changed in one shard since the previous snapshot ({@link ShardDelta}): documents live now and not before
 * on {@link SnapshotIO#LIVE_DOCUMENTS}, documents live before and not at the same place now on
 * {@link SnapshotIO#GONE_DOCUMENTS}. A shard of an index the previous snapshot lacks is read whole. A shard that
 * cannot be read fails the pipeline or, when failures are reported, becomes one record on {@link SnapshotIO#UNREADABLE}.
 */
final class ReadShardDeltaFn extends DoFn<ShardRef, SourceDocument> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ReadShardDeltaFn.class);

  private final RepositoryLocation repository;
  private final String snapshot;
  private final String previousSnapshot;
  private final boolean verifyChecksums;
  private final boolean reportFailures;
  private final Counter shardsPlanned = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SHARDS_PLANNED);
  private final Counter segmentsSkipped = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SEGMENTS_SKIPPED);
  private final Counter segmentsRead = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SEGMENTS_READ);
  private final Counter luceneDocsVisited = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.LUCENE_DOCS_VISITED);
  private transient SnapshotRepository repo;
  private transient RepositoryData.SnapshotEntry snap;
  private transient RepositoryData.SnapshotEntry previous;
  private transient IndexCounters counters;

  ReadShardDeltaFn(RepositoryLocation repository, String snapshot, String previousSnapshot, boolean verifyChecksums,
      boolean reportFailures) {
    this.repository = repository;
    this.snapshot = snapshot;
    this.previousSnapshot = previousSnapshot;
    this.verifyChecksums = verifyChecksums;
    this.reportFailures = reportFailures;
  }

  @Setup
  public void setup() {
    repo = SnapshotRepository.open(repository.open());
    snap = repo.snapshot(snapshot);
    previous = repo.snapshot(previousSnapshot);
    counters = new IndexCounters(SnapshotIO.METRICS_NAMESPACE);
  }

  @ProcessElement
  public void process(@Element ShardRef shard, MultiOutputReceiver out) throws IOException {
    boolean wasThere = repo.indices(previous).contains(shard.index);
    try {
      ShardSnapshot before = wasThere ? repo.shard(previous, shard.index, shard.shard) : null;
      // files both snapshots share are the same blob, checked when the earlier snapshot was read: not read again here
      Set<String> shared = before == null ? Set.of()
          : before.files().stream().map(FileInfo::blobName).collect(Collectors.toSet());
      readDelta(shard, before, info -> verifyChecksums && !shared.contains(info.blobName()), out);
    } catch (IOException | RuntimeException e) {
      if (!reportFailures) {
        throw e;
      }
      counters.inc(shard.index, SnapshotIO.SHARDS_FAILED, 1);
      out.get(SnapshotIO.UNREADABLE).output(SnapshotIO.shardFailure(shard.index, shard.shard,
          "its changes since snapshot '" + previousSnapshot + "' cannot be read", e));
    }
    shardsPlanned.inc();
  }

  private void readDelta(ShardRef shard, ShardSnapshot before, Predicate<FileInfo> verify, MultiOutputReceiver out)
      throws IOException {
    try (ShardDocumentReader newer = ShardReaders.open(repo.blobs(), repo.shard(snap, shard.index, shard.shard),
            shard.defaultType, verify);
        ShardDocumentReader older = before == null ? null : ShardReaders.open(repo.blobs(), before, shard.defaultType, false)) {
      ShardDelta delta = ShardDelta.between(older, newer);
      LOG.debug("delta of {} since '{}': {}", shard, previousSnapshot, delta);
      ShardDocumentReader.SliceStats changed = delta.readChanged(out.get(SnapshotIO.LIVE_DOCUMENTS)::output);
      ShardDocumentReader.SliceStats gone = delta.readGone(out.get(SnapshotIO.GONE_DOCUMENTS)::output);
      counters.inc(shard.index, SnapshotIO.DOCUMENTS, changed.documents);
      counters.inc(shard.index, SnapshotIO.NESTED, changed.withoutId);
      counters.inc(shard.index, SnapshotIO.GONE, gone.documents);
      luceneDocsVisited.inc(changed.visited + gone.visited);
      segmentsSkipped.inc(delta.segmentsSkipped());
      segmentsRead.inc(delta.segmentsRead());
    }
  }

  @Teardown
  public void teardown() throws IOException {
    if (repo != null) {
      repo.close();
    }
  }
}
