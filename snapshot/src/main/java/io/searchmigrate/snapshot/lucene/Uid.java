package io.searchmigrate.snapshot.lucene;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Decodes the binary {@code _id} Elasticsearch 6+ stores: a leading 0xFE means packed decimal digits, 0xFF
 * UTF-8 text, anything else URL-safe base64 without padding (0xFD escapes a first byte that would clash).
 */
public final class Uid {
  static final int NUMERIC = 0xFE;
  static final int UTF8 = 0xFF;
  static final int BASE64_ESCAPE = 0xFD;

  private Uid() {}

  public static String decode(byte[] bytes, int offset, int length) {
    if (length == 0) {
      throw new IllegalArgumentException("empty _id");
    }
    int first = bytes[offset] & 0xFF;
    if (first == NUMERIC) {
      return decodeNumeric(bytes, offset + 1, length - 1);
    }
    if (first == UTF8) {
      return new String(bytes, offset + 1, length - 1, StandardCharsets.UTF_8);
    }
    int start = first == BASE64_ESCAPE ? offset + 1 : offset;
    byte[] raw = new byte[offset + length - start];
    System.arraycopy(bytes, start, raw, 0, raw.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private static String decodeNumeric(byte[] bytes, int offset, int length) {
    StringBuilder id = new StringBuilder(length * 2);
    for (int i = offset; i < offset + length; i++) {
      int b = bytes[i] & 0xFF;
      id.append((char) ('0' + (b >>> 4)));
      int low = b & 0x0F;
      if (low == 0x0F) {
        break; // odd number of digits: the last low nibble is padding
      }
      id.append((char) ('0' + low));
    }
    return id.toString();
  }
}
