package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The Lucene files of one shard in one snapshot ({@code indices/<id>/<shard>/snap-<uuid>.dat}). */
public final class ShardSnapshot implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String index;
  private final int shard;
  private final String folder;
  private final List<FileInfo> files;

  ShardSnapshot(String index, int shard, String folder, List<FileInfo> files) {
    this.index = index;
    this.shard = shard;
    this.folder = folder;
    this.files = Collections.unmodifiableList(files);
  }

  static ShardSnapshot parse(String index, int shard, String folder, JsonNode blob, String where) {
    List<FileInfo> files = new ArrayList<>();
    for (JsonNode f : blob.path("files")) {
      files.add(FileInfo.parse(f, where));
    }
    return new ShardSnapshot(index, shard, folder, files);
  }

  public String index() {
    return index;
  }

  public int shard() {
    return shard;
  }

  /** The shard's folder in the repository, e.g. {@code indices/abc/0}. */
  public String folder() {
    return folder;
  }

  public List<FileInfo> files() {
    return files;
  }

  public long totalBytes() {
    return files.stream().mapToLong(FileInfo::length).sum();
  }

  /** The {@code segments_N} file: the Lucene commit this shard snapshot captured. */
  public FileInfo segmentsFile() {
    return files.stream().filter(f -> f.physicalName().startsWith("segments_")).findFirst()
        .orElseThrow(() -> new SnapshotFormatException("shard " + shard + " of index '" + index + "' (" + folder
            + ") lists no segments_N file; the shard snapshot is incomplete"));
  }

  @Override
  public String toString() {
    return "[" + index + "][" + shard + "]";
  }
}
