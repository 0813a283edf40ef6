package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.snapshot.blob.BlobStore;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a snapshot repository written by Elasticsearch 5.x-8.x or OpenSearch 1.x-2.x, in place.
 *
 * <pre>{@code
 * try (SnapshotRepository repo = SnapshotRepository.open(Repositories.open("/data/repo"))) {
 *   RepositoryData.SnapshotEntry snap = repo.snapshot("snap-1");
 *   for (String index : repo.indices(snap)) { IndexMetadata meta = repo.indexMetadata(snap, index); ... }
 * }
 * }</pre>
 */
public final class SnapshotRepository implements Closeable {
  private static final Pattern INDEX_N = Pattern.compile("index-(\\d+)");

  private final BlobStore blobs;
  private final RepositoryData data;
  private final Map<String, IndexMetadata> indexMetadataCache = new ConcurrentHashMap<>();

  private SnapshotRepository(BlobStore blobs, RepositoryData data) {
    this.blobs = blobs;
    this.data = data;
  }

  /** Opens the newest generation of the repository's index. */
  public static SnapshotRepository open(BlobStore blobs) {
    try {
      List<String> root = blobs.list("");
      long generation = -1;
      for (String name : root) {
        Matcher m = INDEX_N.matcher(name);
        if (m.matches()) {
          generation = Math.max(generation, Long.parseLong(m.group(1)));
        }
      }
      if (blobs.exists("index.latest")) {
        byte[] latest = blobs.readAll("index.latest");
        if (latest.length == 8) {
          long pointed = ByteBuffer.wrap(latest).getLong();
          if (blobs.exists("index-" + pointed)) {
            generation = Math.max(generation, pointed);
          }
        }
      }
      if (generation < 0) {
        if (root.contains("index")) {
          throw new UserError("the repository at " + blobs.describe("") + " was written by Elasticsearch 2.x or older "
              + "(it has an 'index' file and no 'index-N'); supported sources are Elasticsearch 5.x-8.x and OpenSearch 1.x-2.x");
        }
        throw new UserError("no snapshot repository at " + blobs.describe("") + ": expected an index-N file written by "
            + "Elasticsearch or OpenSearch; found " + (root.isEmpty() ? "an empty folder" : root.stream().limit(10).collect(Collectors.toList())));
      }
      String file = "index-" + generation;
      JsonNode json;
      try {
        json = Json.parse(blobs.readAll(file));
      } catch (UncheckedIOException e) {
        throw new SnapshotFormatException("repository index " + blobs.describe(file) + " is corrupt: " + e.getMessage(), e);
      }
      return new SnapshotRepository(blobs, RepositoryData.parse(json, generation, blobs.describe(file)));
    } catch (IOException e) {
      throw new UserError("cannot read the snapshot repository at " + blobs.describe("") + ": " + e.getMessage(), e);
    }
  }

  public BlobStore blobs() {
    return blobs;
  }

  public RepositoryData data() {
    return data;
  }

  public List<RepositoryData.SnapshotEntry> snapshots() {
    return data.snapshots();
  }

  /** Finds a snapshot by name; the error lists the snapshots that do exist. */
  public RepositoryData.SnapshotEntry snapshot(String name) {
    return data.snapshots().stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new UserError("snapshot '" + name + "' not found in repository " + blobs.describe("")
            + "; snapshots there: " + data.snapshots().stream().map(RepositoryData.SnapshotEntry::name).collect(Collectors.toList())));
  }

  public List<String> indices(RepositoryData.SnapshotEntry snapshot) {
    return data.indicesOf(snapshot);
  }

  /**
   * The snapshot's indices that {@code selection} chooses, sorted: what every step (metadata, assess, backfill, dump)
   * works on. An allowlist entry that matches none of them is an error naming the snapshot and what it holds.
   */
  public List<String> indices(RepositoryData.SnapshotEntry snapshot, Selection selection) {
    return selection.indices(indices(snapshot), "snapshot '" + snapshot.name() + "'");
  }

  public SnapshotInfo snapshotInfo(RepositoryData.SnapshotEntry snapshot) {
    return SnapshotInfo.parse(readBlob("snap-" + snapshot.uuid() + ".dat", "snapshot"));
  }

  /** The cluster-wide metadata saved with the snapshot (templates and more), as JSON. */
  public JsonNode globalMetadata(RepositoryData.SnapshotEntry snapshot) {
    return readBlob("meta-" + snapshot.uuid() + ".dat", "metadata");
  }

  public IndexMetadata indexMetadata(RepositoryData.SnapshotEntry snapshot, String indexName) {
    RepositoryData.IndexEntry index = indexEntry(snapshot, indexName);
    String path = "indices/" + index.id() + "/meta-" + data.indexMetadataBlobId(snapshot, index) + ".dat";
    return indexMetadataCache.computeIfAbsent(path, p -> IndexMetadataBlob.parse(readBlob(p, "index-metadata"), blobs.describe(p)));
  }

  /** The file list of one shard in this snapshot. */
  public ShardSnapshot shard(RepositoryData.SnapshotEntry snapshot, String indexName, int shard) {
    RepositoryData.IndexEntry index = indexEntry(snapshot, indexName);
    String folder = "indices/" + index.id() + "/" + shard;
    String path = folder + "/snap-" + snapshot.uuid() + ".dat";
    return ShardSnapshot.parse(indexName, shard, folder, readBlob(path, "snapshot"), blobs.describe(path));
  }

  public RepositoryData.IndexEntry indexEntry(RepositoryData.SnapshotEntry snapshot, String indexName) {
    RepositoryData.IndexEntry index = data.indices().get(indexName);
    if (index == null || !indices(snapshot).contains(indexName)) {
      throw new UserError("index '" + indexName + "' is not in snapshot '" + snapshot.name() + "'; it holds "
          + indices(snapshot));
    }
    return index;
  }

  private JsonNode readBlob(String path, String codec) {
    byte[] bytes;
    try {
      bytes = blobs.readAll(path);
    } catch (NoSuchFileException e) {
      throw new SnapshotFormatException("blob " + blobs.describe(path) + " is missing from the repository; "
          + "the repository is incomplete or was modified after the snapshot was taken");
    } catch (IOException e) {
      throw new UserError("cannot read " + blobs.describe(path) + ": " + e.getMessage(), e);
    }
    return ChecksumBlobFormat.read(bytes, codec, blobs.describe(path));
  }

  @Override
  public void close() throws IOException {
    blobs.close();
  }
}
