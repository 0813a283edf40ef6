package io.searchmigrate.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.snapshot.blob.FileSystemBlobStore;
import io.searchmigrate.snapshot.lucene.ShardDelta;
import io.searchmigrate.snapshot.lucene.ShardDocumentReader;
import io.searchmigrate.snapshot.lucene.ShardReaders;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import io.searchmigrate.testkit.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Segments and their live documents as Lucene 6 and Lucene 9 report them for the fixture snapshots (hard and soft
 * deletes): a shard compared with itself has nothing to send, and a shard without an earlier one sends exactly what a
 * full read of it gives.
 */
class ShardDeltaOnFixturesTest {
  @ParameterizedTest
  @ValueSource(strings = {"ES_5_6_Updates_Deletes", "ES_6_8_Updates_Deletes_Native", "ES_7_10_Updates_Deletes_w_Soft",
      "ES_7_10_Updates_Deletes_wo_Soft", "ES_7_10_Single"})
  void aShardComparedWithItselfHasNoDelta(String fixture) throws IOException {
    int shards = 0;
    try (SnapshotRepository repo = SnapshotRepository.open(new FileSystemBlobStore(Fixtures.snapshot(fixture)))) {
      for (RepositoryData.SnapshotEntry snap : repo.snapshots()) {
        for (String index : repo.indices(snap)) {
          for (int shard = 0; shard < repo.indexMetadata(snap, index).numberOfShards(); shard++) {
            try (ShardDocumentReader older = ShardReaders.open(repo.blobs(), repo.shard(snap, index, shard), null, true);
                ShardDocumentReader newer = ShardReaders.open(repo.blobs(), repo.shard(snap, index, shard), null, false)) {
              long live = newer.segments().stream().mapToLong(s -> s.live().cardinality()).sum();
              assertEquals(newer.liveDocs(), live, index + "/" + shard + ": live documents of the segments");

              ShardDelta same = ShardDelta.between(older, newer);
              assertEquals(newer.segments().size(), same.segmentsSkipped(), index + "/" + shard);
              assertEquals(0, same.segmentsRead());
              assertEquals(0, same.changedLuceneDocs() + same.goneLuceneDocs());

              List<String> full = new ArrayList<>();
              newer.read(0, newer.maxDoc(), doc -> full.add(SnapshotReading.key(doc)));
              List<String> fresh = new ArrayList<>();
              ShardDelta.between(null, newer).readChanged((SourceDocument doc) -> fresh.add(SnapshotReading.key(doc)));
              assertEquals(full, fresh, index + "/" + shard);
              shards++;
            }
          }
        }
      }
    }
    assertTrue(shards > 0, fixture);
  }
}
