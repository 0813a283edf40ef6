package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.Base64;

/**
 * One Lucene file of a shard snapshot: the blob holding it ({@code __x}, split into {@code __x.partN} when
 * longer than the part size; {@code v__x} means no blob, the bytes are inline in {@code meta_hash}).
 */
public final class FileInfo implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String blobName;
  private final String physicalName;
  private final long length;
  private final String checksum;
  private final long partSize;
  private final byte[] metaHash;
  private final String writtenBy;

  FileInfo(String blobName, String physicalName, long length, String checksum, long partSize, byte[] metaHash, String writtenBy) {
    this.blobName = blobName;
    this.physicalName = physicalName;
    this.length = length;
    this.checksum = checksum;
    this.partSize = partSize;
    this.metaHash = metaHash;
    this.writtenBy = writtenBy;
  }

  static FileInfo parse(JsonNode node, String where) {
    String name = node.path("name").asText(null);
    String physical = node.path("physical_name").asText(null);
    if (name == null || physical == null || !node.has("length")) {
      throw new SnapshotFormatException(where + " lists a file without name, physical_name or length: " + node);
    }
    byte[] hash = null;
    JsonNode h = node.get("meta_hash");
    if (h != null && !h.isNull()) {
      try {
        hash = h.isBinary() ? h.binaryValue() : Base64.getDecoder().decode(h.asText());
      } catch (IOException | IllegalArgumentException e) {
        throw new SnapshotFormatException(where + ": cannot read meta_hash of " + physical, e);
      }
    }
    long partSize = node.path("part_size").asLong(Long.MAX_VALUE);
    return new FileInfo(name, physical, node.path("length").asLong(), node.path("checksum").asText(null),
        partSize <= 0 ? Long.MAX_VALUE : partSize, hash, node.path("written_by").asText(null));
  }

  public String blobName() {
    return blobName;
  }

  public String physicalName() {
    return physicalName;
  }

  public long length() {
    return length;
  }

  /** Lucene's CRC32 footer value in base 36, as Elasticsearch records it. */
  public String checksum() {
    return checksum;
  }

  public String writtenBy() {
    return writtenBy;
  }

  /** True when the file's bytes live inline in the metadata and no blob exists. */
  public boolean isVirtual() {
    return blobName.startsWith("v__");
  }

  public byte[] inlineContent() {
    return metaHash;
  }

  public int numberOfParts() {
    if (partSize == Long.MAX_VALUE || length <= partSize) {
      return 1;
    }
    return (int) ((length + partSize - 1) / partSize);
  }

  public long partSize() {
    return partSize;
  }

  /** Blob name of part {@code i}: the plain name when there is a single part. */
  public String partBlobName(int part) {
    return numberOfParts() == 1 ? blobName : blobName + ".part" + part;
  }
}
