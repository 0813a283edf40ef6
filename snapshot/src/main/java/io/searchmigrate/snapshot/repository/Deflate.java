package io.searchmigrate.snapshot.repository;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Elasticsearch's "DFL\0" compression: the 4-byte marker, then raw DEFLATE (no zlib header). */
final class Deflate {
  static final byte[] HEADER = {'D', 'F', 'L', 0};

  private Deflate() {}

  static boolean isCompressed(byte[] data) {
    if (data.length < HEADER.length) {
      return false;
    }
    for (int i = 0; i < HEADER.length; i++) {
      if (data[i] != HEADER[i]) {
        return false;
      }
    }
    return true;
  }

  /** Inflates what follows the header. */
  static byte[] inflate(byte[] data) throws DataFormatException {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(data, HEADER.length, data.length - HEADER.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
      byte[] chunk = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new DataFormatException("the compressed data ends early");
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }
}
