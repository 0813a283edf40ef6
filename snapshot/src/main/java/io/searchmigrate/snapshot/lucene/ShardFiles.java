package io.searchmigrate.snapshot.lucene;

import io.searchmigrate.snapshot.blob.BlobStore;
import io.searchmigrate.snapshot.blob.RandomAccessBlob;
import io.searchmigrate.snapshot.repository.FileInfo;
import io.searchmigrate.snapshot.repository.ShardSnapshot;
import io.searchmigrate.snapshot.repository.SnapshotFormatException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.zip.CRC32;

/**
 * A shard's Lucene files as they sit in the repository, addressed by their Lucene names: inline files
 * ({@code v__}) from metadata, multi-part files stitched together, everything read in place by position.
 * The Lucene 9 and relocated Lucene 6 directories are thin adapters over it.
 */
public final class ShardFiles implements Closeable {
  private static final int FOOTER_MAGIC = ~0x3FD76C17;
  /** The checksum pass reads this much at a time: from S3, up to four ranged GETs at once, none of it cached. */
  static final int CHECKSUM_CHUNK_BYTES = 16 << 20;

  private final BlobStore blobs;
  private final ShardSnapshot shard;
  private final Map<String, FileInfo> byName = new LinkedHashMap<>();
  private final Map<String, ShardFile> open = new ConcurrentHashMap<>();

  public ShardFiles(BlobStore blobs, ShardSnapshot shard) {
    this.blobs = blobs;
    this.shard = shard;
    for (FileInfo f : shard.files()) {
      byName.put(f.physicalName(), f);
    }
  }

  public ShardSnapshot shard() {
    return shard;
  }

  public String[] names() {
    String[] names = byName.keySet().toArray(new String[0]);
    Arrays.sort(names);
    return names;
  }

  public FileInfo info(String name) throws NoSuchFileException {
    FileInfo f = byName.get(name);
    if (f == null) {
      throw new NoSuchFileException(name + " is not part of shard " + shard + " in this snapshot");
    }
    return f;
  }

  /** Opens (once) a Lucene file for positional reads; closed with this object. */
  public ShardFile file(String name) throws IOException {
    ShardFile existing = open.get(name);
    if (existing != null) {
      return existing;
    }
    FileInfo info = info(name);
    ShardFile file = info.isVirtual() ? new InlineFile(info) : new BlobFile(info, openParts(info));
    ShardFile raced = open.putIfAbsent(name, file);
    if (raced != null) {
      file.close();
      return raced;
    }
    return file;
  }

  private List<RandomAccessBlob> openParts(FileInfo info) throws IOException {
    List<RandomAccessBlob> parts = new ArrayList<>();
    long total = 0;
    try {
      for (int i = 0; i < info.numberOfParts(); i++) {
        String path = shard.folder() + "/" + info.partBlobName(i);
        try {
          RandomAccessBlob part = blobs.open(path);
          parts.add(part);
          total += part.length();
        } catch (NoSuchFileException e) {
          throw new SnapshotFormatException("blob " + blobs.describe(path) + " (Lucene file " + info.physicalName() + " of shard "
              + shard + ") is missing from the repository; the snapshot is incomplete");
        }
      }
      if (total != info.length()) {
        throw new SnapshotFormatException("Lucene file " + info.physicalName() + " of shard " + shard + " (blob "
            + blobs.describe(shard.folder() + "/" + info.blobName()) + ") is " + total + " bytes long, but the snapshot "
            + "recorded " + info.length() + ": the blob was truncated or replaced");
      }
      return parts;
    } catch (IOException | RuntimeException e) {
      for (RandomAccessBlob part : parts) {
        part.close();
      }
      throw e;
    }
  }

  /** Where a Lucene file lives, for messages. */
  public String describe(String name) {
    FileInfo f = byName.get(name);
    if (f == null || f.isVirtual()) {
      return name + " of shard " + shard + " (inline in the shard metadata)";
    }
    return name + " of shard " + shard + " (blob " + blobs.describe(shard.folder() + "/" + f.blobName()) + ")";
  }

  /**
   * Verifies every file against the checksum the snapshot recorded (Lucene's CRC32 footer). One sequential
   * read of the shard; it turns silent corruption into an error that names the blob.
   */
  public void verifyChecksums() throws IOException {
    verifyChecksums(info -> true);
  }

  /** Checks the files {@code which} accepts against their recorded checksums (a delta skips those it does not read). */
  public void verifyChecksums(Predicate<FileInfo> which) throws IOException {
    for (String name : names()) {
      FileInfo info = info(name);
      if (!which.test(info)) {
        continue;
      }
      ShardFile file = file(name);
      long length = file.length();
      if (length < 16 || info.checksum() == null) {
        continue;
      }
      ByteBuffer footer = ByteBuffer.allocate(16);
      file.read(length - 16, footer);
      footer.flip();
      if (footer.getInt() != FOOTER_MAGIC) {
        continue; // files older than Lucene 4.8 carry no footer to check against
      }
      footer.getInt();
      long stored = footer.getLong();
      CRC32 crc = new CRC32();
      ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHECKSUM_CHUNK_BYTES, length));
      long pos = 0;
      long end = length - 8;
      while (pos < end) {
        chunk.clear().limit((int) Math.min(chunk.capacity(), end - pos));
        file.readOnce(pos, chunk);
        chunk.flip();
        crc.update(chunk);
        pos += chunk.limit();
      }
      long recorded = parseChecksum(info.checksum());
      if (crc.getValue() != stored || (recorded >= 0 && recorded != stored)) {
        throw new SnapshotFormatException("Lucene file " + describe(name) + " is corrupt: its content has CRC32 "
            + Long.toString(crc.getValue(), 36) + " but the snapshot recorded " + info.checksum()
            + ". The blob was changed after the snapshot was written: take a new snapshot, or restore the repository from a good copy");
      }
    }
  }

  private static long parseChecksum(String base36) {
    try {
      return Long.parseLong(base36, 36);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (ShardFile f : open.values()) {
      try {
        f.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    open.clear();
    if (first != null) {
      throw first;
    }
  }

  /** One Lucene file: positional, thread-safe reads. */
  public interface ShardFile extends Closeable {
    long length();

    void read(long position, ByteBuffer target) throws IOException;

    /** A range read once, start to end (see {@link RandomAccessBlob#readOnce}). */
    default void readOnce(long position, ByteBuffer target) throws IOException {
      read(position, target);
    }
  }

  private static final class InlineFile implements ShardFile {
    private final byte[] content;

    InlineFile(FileInfo info) {
      this.content = info.inlineContent() == null ? new byte[0] : info.inlineContent();
      if (content.length != info.length()) {
        throw new SnapshotFormatException("inline file " + info.physicalName() + " holds " + content.length
            + " bytes but the snapshot recorded " + info.length());
      }
    }

    @Override
    public long length() {
      return content.length;
    }

    @Override
    public void read(long position, ByteBuffer target) throws EOFException {
      if (position + target.remaining() > content.length) {
        throw new EOFException("read past the end of an inline file");
      }
      target.put(content, (int) position, target.remaining());
    }

    @Override
    public void close() {}
  }

  private static final class BlobFile implements ShardFile {
    private final List<RandomAccessBlob> parts;
    private final long partSize;
    private final long length;

    BlobFile(FileInfo info, List<RandomAccessBlob> parts) {
      this.parts = parts;
      this.partSize = parts.size() == 1 ? Long.MAX_VALUE : info.partSize();
      this.length = info.length();
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public void read(long position, ByteBuffer target) throws IOException {
      read(position, target, false);
    }

    @Override
    public void readOnce(long position, ByteBuffer target) throws IOException {
      read(position, target, true);
    }

    private void read(long position, ByteBuffer target, boolean once) throws IOException {
      if (position + target.remaining() > length) {
        throw new EOFException("read past the end: " + position + "+" + target.remaining() + " > " + length);
      }
      long pos = position;
      while (target.hasRemaining()) {
        int part = (int) (pos / partSize);
        long inPart = pos - part * partSize;
        long available = (part == parts.size() - 1 ? parts.get(part).length() : partSize) - inPart;
        int n = (int) Math.min(available, target.remaining());
        ByteBuffer window = target.slice().limit(n);
        if (once) {
          parts.get(part).readOnce(inPart, window);
        } else {
          parts.get(part).read(inPart, window);
        }
        target.position(target.position() + n);
        pos += n;
      }
    }

    @Override
    public void close() throws IOException {
      for (RandomAccessBlob p : parts) {
        p.close();
      }
    }
  }
}
