package io.searchmigrate.validation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MurmurHash3's 128-bit x64 variant (Austin Appleby's public-domain algorithm): a fast, well-mixed, non-cryptographic
 * hash, about five times cheaper than MD5 on a document's canonical form. What the comparison hashes is not chosen by
 * an adversary, so a collision is as unlikely as two random 128-bit values being equal.
 *
 * <pre>{@code
 * long[] h = Hash128.of(bytes, 0, bytes.length);   // {h1, h2}
 * byte[] sixteen = Hash128.toBytes(h);
 * }</pre>
 */
final class Hash128 {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Hash128() {}

  /** The two 64-bit halves of the hash of {@code length} bytes from {@code offset} (seed 0). */
  static long[] of(byte[] data, int offset, int length) {
    return of(data, offset, length, false);
  }

  /**
   * The hash of the bytes with each CR and LF read as a space: {@code of(Json.lineBreaksAsSpaces(bytes))} in one pass,
   * without scanning the bytes first or copying them.
   */
  static long[] ofLine(byte[] data, int offset, int length) {
    return of(data, offset, length, true);
  }

  private static long[] of(byte[] data, int offset, int length, boolean lineBreaksAsSpaces) {
    long h1 = 0;
    long h2 = 0;
    int blocks = length / 16;
    for (int i = 0; i < blocks; i++) {
      long k1 = (long) LONG_LE.get(data, offset + i * 16);
      long k2 = (long) LONG_LE.get(data, offset + i * 16 + 8);
      if (lineBreaksAsSpaces) {
        k1 = lineBreaksAsSpaces(k1);
        k2 = lineBreaksAsSpaces(k2);
      }
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int tail = offset + blocks * 16;
    int rest = length & 15;
    long k1 = 0;
    long k2 = 0;
    for (int i = rest - 1; i >= 8; i--) {
      k2 ^= (data[tail + i] & 0xffL) << ((i - 8) * 8);
    }
    for (int i = Math.min(rest, 8) - 1; i >= 0; i--) {
      k1 ^= (data[tail + i] & 0xffL) << (i * 8);
    }
    if (lineBreaksAsSpaces) {
      k1 = lineBreaksAsSpaces(k1); // the bytes past the tail are zero, never a line break
      k2 = lineBreaksAsSpaces(k2);
    }
    if (rest > 8) {
      h2 ^= mixK2(k2);
    }
    if (rest > 0) {
      h1 ^= mixK1(k1);
    }
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = finalMix(h1);
    h2 = finalMix(h2);
    h1 += h2;
    h2 += h1;
    return new long[] {h1, h2};
  }

  private static final long LOW_SEVEN_BITS = 0x7f7f7f7f7f7f7f7fL;
  private static final long SPACES = 0x2020202020202020L;

  /** The eight bytes with each CR and LF made a space. */
  private static long lineBreaksAsSpaces(long word) {
    long lineBreaks = zeroBytes(word ^ 0x0a0a0a0a0a0a0a0aL) | zeroBytes(word ^ 0x0d0d0d0d0d0d0d0dL);
    long bytes = (lineBreaks >>> 7) * 0xff; // 0xff in each byte that was a line break
    return (word & ~bytes) | (SPACES & bytes);
  }

  /** 0x80 in each byte of the word that is zero, 0 in the others (exact: no borrow runs from one byte to the next). */
  private static long zeroBytes(long word) {
    return ~(((word & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | word | LOW_SEVEN_BITS);
  }

  /** The hash as 16 bytes, each half little-endian (the byte order MurmurHash3's reference output uses). */
  static byte[] toBytes(long[] hash) {
    byte[] out = new byte[16];
    LONG_LE.set(out, 0, hash[0]);
    LONG_LE.set(out, 8, hash[1]);
    return out;
  }

  private static long mixK1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  private static long mixK2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  private static long finalMix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
