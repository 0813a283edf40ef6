package io.searchmigrate.validation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer of tagged, length-prefixed values, hashed once at the end ({@link Hash128}, one call per
 * document instead of a stream of small updates).
 */
final class HashInput {
  private byte[] bytes;
  private int length;

  HashInput() {
    this(1024);
  }

  HashInput(int capacity) {
    bytes = new byte[capacity];
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  void put(char tag) {
    ensure(1);
    bytes[length++] = (byte) tag;
  }

  void put(byte[] data) {
    putInt(data.length);
    ensure(data.length);
    System.arraycopy(data, 0, bytes, length, data.length);
    length += data.length;
  }

  void putInt(int v) {
    ensure(4);
    bytes[length++] = (byte) (v >>> 24);
    bytes[length++] = (byte) (v >>> 16);
    bytes[length++] = (byte) (v >>> 8);
    bytes[length++] = (byte) v;
  }

  void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  /**
   * A string, so that equal input means equal strings. Most strings go in as their UTF-8 bytes (one bulk copy), which
   * tell strings apart except where a lone surrogate became {@code '?'}: a string that may hold one goes in, under
   * another tag, as its code units one by one (one to three bytes each, as UTF-8 would write them, a surrogate on its
   * own as CESU-8 does), a prefix-free code.
   */
  void putString(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length == s.length() ? isAscii(s, utf8) : !holdsQuestionMark(utf8)) {
      put('u');
      put(utf8);
      return;
    }
    put('c');
    int n = s.length();
    putInt(n);
    ensure(3 * n);
    byte[] out = bytes;
    int at = length;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[at++] = (byte) c;
      } else if (c < 0x800) {
        out[at++] = (byte) (0xc0 | (c >>> 6));
        out[at++] = (byte) (0x80 | (c & 0x3f));
      } else {
        out[at++] = (byte) (0xe0 | (c >>> 12));
        out[at++] = (byte) (0x80 | ((c >>> 6) & 0x3f));
        out[at++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    length = at;
  }

  /**
   * Whether a string whose UTF-8 has one byte per code unit is plain ASCII (not a lone surrogate written as '?'):
   * compared as text, which the runtime does in bulk, where a loop over the bytes costs several times more.
   */
  private static boolean isAscii(String s, byte[] utf8) {
    return s.equals(new String(utf8, StandardCharsets.ISO_8859_1));
  }

  private static boolean holdsQuestionMark(byte[] utf8) {
    for (byte b : utf8) {
      if (b == '?') {
        return true;
      }
    }
    return false;
  }

  /** Forgets what was put. */
  void clear() {
    length = 0;
  }

  /** The hash of what was put, as its two 64-bit halves. */
  long[] hashHalves() {
    return Hash128.of(bytes, 0, length);
  }

  /** The hash of what was put, as 16 bytes. */
  byte[] hash() {
    return Hash128.toBytes(hashHalves());
  }
}
