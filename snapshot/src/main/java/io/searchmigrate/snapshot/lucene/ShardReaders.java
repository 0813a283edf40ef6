package io.searchmigrate.snapshot.lucene;

import io.searchmigrate.snapshot.blob.BlobStore;
import io.searchmigrate.snapshot.repository.FileInfo;
import io.searchmigrate.snapshot.repository.ShardSnapshot;
import io.searchmigrate.snapshot.repository.SnapshotFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Predicate;

/**
 * Opens the right Lucene for a shard, chosen from its commit file's format version: Lucene 6 commits
 * (Elasticsearch 5.x) go to relocated Lucene 6.6.6, Lucene 7+ commits to Lucene 9 with backward codecs.
 */
public final class ShardReaders {
  private static final int LUCENE_7_SEGMENTS_FORMAT = 7;
  private static final int LUCENE_6_SEGMENTS_FORMAT = 6;

  private ShardReaders() {}

  /**
   * @param defaultType the mapping type to report for Elasticsearch 5.x documents that do not store one
   *     (single-type indices); null otherwise
   * @param verifyChecksums check every file against the snapshot's recorded checksums first
   */
  public static ShardDocumentReader open(BlobStore blobs, ShardSnapshot shard, String defaultType, boolean verifyChecksums)
      throws IOException {
    return open(blobs, shard, defaultType, info -> verifyChecksums);
  }

  /** @param verify which files to check against the snapshot's recorded checksums first */
  public static ShardDocumentReader open(BlobStore blobs, ShardSnapshot shard, String defaultType, Predicate<FileInfo> verify)
      throws IOException {
    ShardFiles files = new ShardFiles(blobs, shard);
    try {
      files.verifyChecksums(verify);
      int format = segmentsFormat(files, shard.segmentsFile());
      if (format >= LUCENE_7_SEGMENTS_FORMAT) {
        return new Lucene9ShardReader(files);
      }
      if (format == LUCENE_6_SEGMENTS_FORMAT) {
        return new Lucene6ShardReader(files, defaultType);
      }
      throw new SnapshotFormatException("shard " + shard + " holds a Lucene commit of format " + format
          + " (Lucene 5 or older, i.e. Elasticsearch 2.x); supported sources are Elasticsearch 5.x-8.x and OpenSearch 1.x-2.x");
    } catch (IOException | RuntimeException e) {
      files.close();
      if (e instanceof SnapshotFormatException) {
        throw e;
      }
      throw new SnapshotFormatException("cannot open shard " + shard + " with Lucene: " + e.getMessage()
          + explain(e), e);
    }
  }

  private static String explain(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("ES87TSDB")) {
      return ". It is a time-series or logsdb index (ES87TSDB doc values), which this reader does not support yet: "
          + "reindex it into a standard index on the source and snapshot that";
    }
    if (message.contains("Codec") && message.contains("does not exist")) {
      return ". The shard uses a codec this reader lacks (for example segments written by Lucene 6 inside an index "
          + "later upgraded by Elasticsearch 6): force-merge the index on the source and take a new snapshot";
    }
    return "";
  }

  /** The format version in the commit file's header: 6 for Lucene 6.x, 7-10 for Lucene 7.0-9.x. */
  static int segmentsFormat(ShardFiles files, FileInfo segments) throws IOException {
    ShardFiles.ShardFile file = files.file(segments.physicalName());
    ByteBuffer header = ByteBuffer.allocate((int) Math.min(64, file.length()));
    file.read(0, header);
    header.flip();
    if (header.getInt() != 0x3FD76C17) {
      throw new SnapshotFormatException(files.describe(segments.physicalName()) + " is not a Lucene commit file");
    }
    int nameLength = header.get() & 0x7F;
    header.position(header.position() + nameLength);
    return header.getInt();
  }
}
