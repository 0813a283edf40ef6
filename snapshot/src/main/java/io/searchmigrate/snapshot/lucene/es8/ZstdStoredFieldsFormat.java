package io.searchmigrate.snapshot.lucene.es8;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import org.apache.lucene.codecs.compressing.CompressionMode;
import org.apache.lucene.codecs.compressing.Compressor;
import org.apache.lucene.codecs.compressing.Decompressor;
import org.apache.lucene.codecs.lucene90.compressing.Lucene90CompressingStoredFieldsFormat;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.DataInput;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.BytesRef;

/**
 * Reads the zstd stored fields of Elasticsearch 8.14+ ({@code ZstdStoredFields814}, both its speed and compression
 * modes): Lucene's compressing stored fields layout where each chunk is a vint compressed length followed by one
 * zstd frame. Decoded with a pure-Java zstd. Read-only.
 */
final class ZstdStoredFieldsFormat extends Lucene90CompressingStoredFieldsFormat {
  ZstdStoredFieldsFormat() {
    // chunk size and documents per chunk are read back from the files; these only matter for writing
    super("ZstdStoredFields814", new ZstdMode(), 14 * 1024, 128, 10);
  }

  private static final class ZstdMode extends CompressionMode {
    @Override
    public Compressor newCompressor() {
      throw new UnsupportedOperationException("ZstdStoredFields814 is read-only here");
    }

    @Override
    public Decompressor newDecompressor() {
      return new ZstdChunkDecompressor();
    }

    @Override
    public String toString() {
      return "ZSTD";
    }
  }

  private static final class ZstdChunkDecompressor extends Decompressor {
    private final ZstdDecompressor zstd = new ZstdDecompressor();
    private byte[] compressed = new byte[0];
    private byte[] decompressed = new byte[0];

    @Override
    public void decompress(DataInput in, int originalLength, int offset, int length, BytesRef bytes) throws IOException {
      if (originalLength == 0) {
        bytes.offset = 0;
        bytes.length = 0;
        return;
      }
      int compressedLength = in.readVInt();
      compressed = ArrayUtil.growNoCopy(compressed, compressedLength);
      in.readBytes(compressed, 0, compressedLength);
      decompressed = ArrayUtil.growNoCopy(decompressed, originalLength);
      int n;
      try {
        n = zstd.decompress(compressed, 0, compressedLength, decompressed, 0, originalLength);
      } catch (RuntimeException e) {
        throw new CorruptIndexException("zstd chunk cannot be decoded: " + e.getMessage(), in, e);
      }
      if (n != originalLength) {
        throw new CorruptIndexException("expected " + originalLength + " decompressed bytes, got " + n, in);
      }
      bytes.bytes = ArrayUtil.growNoCopy(bytes.bytes, length);
      System.arraycopy(decompressed, offset, bytes.bytes, 0, length);
      bytes.offset = 0;
      bytes.length = length;
    }

    @Override
    public Decompressor clone() {
      return new ZstdChunkDecompressor();
    }
  }
}
