package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.json.XContentType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;

/**
 * Decodes the checksummed metadata blobs Elasticsearch and OpenSearch write into snapshot repositories
 * ({@code snap-*.dat}, {@code meta-*.dat}, shard {@code index-*}):
 *
 * <pre>
 * int32 0x3FD76C17 | vint-prefixed codec name | int32 version=1 | body | int32 0xC02893E8 | int32 0 | int64 CRC32
 * </pre>
 *
 * The body is SMILE, or {@code DFL\0} followed by raw DEFLATE of the SMILE when the repository compresses.
 * The CRC32 covers everything before the last 8 bytes and is always verified.
 */
public final class ChecksumBlobFormat {
  static final int HEADER_MAGIC = 0x3FD76C17;
  static final int FOOTER_MAGIC = ~HEADER_MAGIC;
  private static final int FOOTER_LENGTH = 16;
  private static final byte[] ZSTD_HEADER = {'Z', 'S', 'T', 'D', 0};

  private ChecksumBlobFormat() {}

  /**
   * Verifies and parses one blob.
   *
   * @param where the blob's location, named in every error
   * @param expectedCodec the codec name its header must carry ("snapshot", "metadata", "index-metadata", "snapshots")
   */
  public static JsonNode read(byte[] blob, String expectedCodec, String where) {
    if (blob.length < 9 + FOOTER_LENGTH) {
      throw corrupt(where, "it is only " + blob.length + " bytes long, too short for a snapshot metadata blob");
    }
    ByteBuffer buf = ByteBuffer.wrap(blob);
    int magic = buf.getInt();
    if (magic != HEADER_MAGIC) {
      throw corrupt(where, String.format("it does not start with the metadata header (expected magic 0x%08X, found 0x%08X)",
          HEADER_MAGIC, magic));
    }
    int nameLength = readVInt(buf);
    if (nameLength < 0 || nameLength > 64 || buf.remaining() < nameLength + 4 + FOOTER_LENGTH) {
      throw corrupt(where, "its header names a codec of impossible length " + nameLength);
    }
    byte[] nameBytes = new byte[nameLength];
    buf.get(nameBytes);
    String codec = new String(nameBytes, StandardCharsets.UTF_8);
    int version = buf.getInt();
    int bodyStart = buf.position();
    int bodyEnd = blob.length - FOOTER_LENGTH;

    ByteBuffer footer = ByteBuffer.wrap(blob, bodyEnd, FOOTER_LENGTH);
    int footerMagic = footer.getInt();
    int algorithm = footer.getInt();
    long storedChecksum = footer.getLong();
    CRC32 crc = new CRC32();
    crc.update(blob, 0, blob.length - 8);
    if (footerMagic != FOOTER_MAGIC || algorithm != 0 || crc.getValue() != storedChecksum) {
      throw corrupt(where, footerMagic != FOOTER_MAGIC || algorithm != 0
          ? "its footer is damaged or the file is truncated"
          : String.format("its checksum does not match its content (stored CRC32 %08x, computed %08x)", storedChecksum, crc.getValue()));
    }
    if (!codec.equals(expectedCodec)) {
      throw new SnapshotFormatException(where + " is a '" + codec + "' blob where a '" + expectedCodec
          + "' blob was expected; the repository layout is not one this reader knows");
    }
    if (version != 1) {
      throw new SnapshotFormatException(where + " has format version " + version + " of '" + codec
          + "' blobs; this reader knows version 1 (Elasticsearch 5.x-8.x, OpenSearch 1.x-2.x)");
    }
    byte[] body = Arrays.copyOfRange(blob, bodyStart, bodyEnd);
    if (startsWith(body, ZSTD_HEADER)) {
      throw new SnapshotFormatException(where + " is compressed with zstd (an OpenSearch repository setting); "
          + "only uncompressed and deflate-compressed repositories can be read. Register the repository with "
          + "\"compress\": false (or the default compression) and take the snapshot again");
    }
    if (Deflate.isCompressed(body)) {
      try {
        body = Deflate.inflate(body);
      } catch (DataFormatException e) {
        throw corrupt(where, "its compressed content is damaged (" + e.getMessage() + ")");
      }
    }
    try {
      XContentType type = XContentType.detect(body, 0, body.length);
      return type == XContentType.SMILE ? Json.parseSmile(body, 0, body.length) : Json.parseXContent(body);
    } catch (IOException e) {
      throw corrupt(where, "its content cannot be parsed (" + e.getMessage() + ")");
    }
  }

  private static SnapshotFormatException corrupt(String where, String what) {
    return new SnapshotFormatException("snapshot metadata blob " + where + " is corrupt: " + what
        + ". The file was changed or truncated after the snapshot was written: take a new snapshot, "
        + "or restore the repository from a good copy");
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int readVInt(ByteBuffer buf) {
    int value = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      byte b = buf.get();
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    return -1;
  }
}
