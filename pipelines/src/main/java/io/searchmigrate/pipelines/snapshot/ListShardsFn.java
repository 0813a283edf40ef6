package io.searchmigrate.pipelines.snapshot;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.snapshot.blob.RepositoryLocation;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import java.io.IOException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/** Lists every shard of the selected indices of a snapshot, from the repository's metadata. */
final class ListShardsFn extends DoFn<byte[], ShardRef> {
  private static final long serialVersionUID = 1L;
  private final RepositoryLocation repository;
  private final String snapshot;
  private final Selection selection;
  private final Counter shards = Metrics.counter(SnapshotIO.METRICS_NAMESPACE, SnapshotIO.SHARDS);

  ListShardsFn(RepositoryLocation repository, String snapshot, Selection selection) {
    this.repository = repository;
    this.snapshot = snapshot;
    this.selection = selection;
  }

  @ProcessElement
  public void process(OutputReceiver<ShardRef> out) throws IOException {
    try (SnapshotRepository repo = SnapshotRepository.open(repository.open())) {
      RepositoryData.SnapshotEntry snap = repo.snapshot(snapshot);
      for (String index : repo.indices(snap, selection)) {
        IndexMetadata meta = repo.indexMetadata(snap, index);
        // Elasticsearch 5 single-type indices do not store their type with each document
        String defaultType = meta.mappingsByType().size() == 1 ? meta.mappingsByType().keySet().iterator().next() : null;
        for (int shard = 0; shard < meta.numberOfShards(); shard++) {
          out.output(new ShardRef(index, shard, defaultType));
          shards.inc();
        }
      }
    }
  }
}
