package io.searchmigrate.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.snapshot.blob.BlobStore;
import io.searchmigrate.snapshot.blob.FileSystemBlobStore;
import io.searchmigrate.snapshot.lucene.ShardDocumentReader;
import io.searchmigrate.snapshot.lucene.ShardReaders;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test helper: every live document of a snapshot, as comparable rows. */
final class SnapshotReading {
  private SnapshotReading() {}

  /** "index/type/id routing=r" -> parsed source, for every live document of every index. */
  static Map<String, JsonNode> documents(Path repository, String snapshot) {
    Map<String, JsonNode> rows = new TreeMap<>();
    for (SourceDocument d : read(repository, snapshot)) {
      try {
        JsonNode previous = rows.put(key(d), Json.parseXContent(d.source()));
        if (previous != null) {
          throw new AssertionError("document read twice: " + key(d));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return rows;
  }

  static String key(SourceDocument d) {
    return d.index() + "/" + (d.type() == null ? "-" : d.type()) + "/" + d.id() + (d.routing() == null ? "" : " routing=" + d.routing());
  }

  static List<SourceDocument> read(Path repository, String snapshot) {
    return read(new FileSystemBlobStore(repository), snapshot);
  }

  /** Every live document of a snapshot in these blobs (closed after), checksums verified, in shard order. */
  static List<SourceDocument> read(BlobStore blobs, String snapshot) {
    List<SourceDocument> docs = new ArrayList<>();
    try (SnapshotRepository repo = SnapshotRepository.open(blobs)) {
      RepositoryData.SnapshotEntry snap = repo.snapshot(snapshot);
      for (String index : repo.indices(snap)) {
        IndexMetadata meta = repo.indexMetadata(snap, index);
        for (int shard = 0; shard < meta.numberOfShards(); shard++) {
          try (ShardDocumentReader reader = ShardReaders.open(repo.blobs(), repo.shard(snap, index, shard), null, true)) {
            reader.read(0, reader.maxDoc(), docs::add);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }
}
