package io.searchmigrate.validation;

import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.json.XContentType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One side's documents of one index summed per bucket of ids: how many there are and the sum of their fingerprints
 * (a 128-bit hash of id, routing and stored source, added as two 64-bit halves). Two sides hold the same documents in a
 * bucket exactly when the counts and both sums are equal (barring a 2^-128 collision): an equal bucket needs no
 * document-by-document join. Sums are order-free, so a bundle's sums can be added to another's anywhere.
 *
 * <pre>{@code
 * BucketSums sums = new BucketSums(4096);
 * sums.add(id, routing, source, false);
 * sums.addEncoded(otherBundle.encode());
 * boolean same = sums.sameAs(otherSide, bucket);
 * }</pre>
 */
final class BucketSums {
  private final int buckets;
  private final long[] counts;
  private final long[] firstHalves;
  private final long[] secondHalves;

  BucketSums(int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be at least 1, not " + buckets);
    }
    this.buckets = buckets;
    this.counts = new long[buckets];
    this.firstHalves = new long[buckets];
    this.secondHalves = new long[buckets];
  }

  /** The bucket of a document id: the same on both sides and in every pass of one run. */
  static int bucket(String id, int buckets) {
    int h = id.hashCode(); // specified by the Java language, so stable across JVMs
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Math.floorMod(h, buckets);
  }

  /**
   * What makes two copies of a document the same in the first look: id, routing and the source as stored, a line
   * break read as a space (as the backfill writes a source on one line of its bulk body). Equal fingerprints mean the
   * same bytes, so equal documents; copies written otherwise (key order, spacing, {@code 1.5} for {@code 1.50}) differ
   * here and are left to the join, which compares them canonically. No source is parsed: copies written from the
   * same bytes (a backfill, a replay) pass on a hash of each.
   */
  static long[] fingerprint(String id, String routing, byte[] source) {
    return fingerprint(id, routing, source, false);
  }

  /**
   * With {@code oneLine}, of a source known to be on one line already (as the migration's transforms give it), hashed
   * as it is.
   */
  private static long[] fingerprint(String id, String routing, byte[] source, boolean oneLine) {
    HashInput in = new HashInput(64 + id.length() * 3);
    in.putString(id);
    if (routing == null) {
      in.put('-');
    } else {
      in.put('r');
      in.putString(routing);
    }
    if (source == null || source.length == 0) {
      in.put('-');
    } else {
      long[] hash = oneLine || !isJson(source) ? Hash128.of(source, 0, source.length)
          : Hash128.ofLine(source, 0, source.length);
      in.put('s');
      in.putLong(hash[0]);
      in.putLong(hash[1]);
    }
    return in.hashHalves();
  }

  /**
   * Whether a source's line breaks are read as spaces: when it is JSON, by the rule the backfill's single-line
   * transform follows ({@link Json#toSingleLineJson}), which writes it so; other content types are hashed as they are
   * (not converted here).
   */
  private static boolean isJson(byte[] source) {
    return XContentType.detect(source, 0, source.length) == XContentType.JSON;
  }

  int buckets() {
    return buckets;
  }

  /**
   * Adds one document as the target holds it (or would): id, routing and source as stored; {@code oneLine} when the
   * source is known to be on one line already (a transform's output), which spares a scan of it.
   */
  void add(String id, String routing, byte[] source, boolean oneLine) {
    int b = bucket(id, buckets);
    long[] f = fingerprint(id, routing, source, oneLine);
    counts[b]++;
    firstHalves[b] += f[0];
    secondHalves[b] += f[1];
  }

  long count(int bucket) {
    return counts[bucket];
  }

  long total() {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  /** Whether both sides hold the same documents in this bucket. */
  boolean sameAs(BucketSums other, int bucket) {
    return counts[bucket] == other.counts[bucket] && firstHalves[bucket] == other.firstHalves[bucket]
        && secondHalves[bucket] == other.secondHalves[bucket];
  }

  /** The buckets that hold documents, each with its count and sums (a bundle touches few of a large index's). */
  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(buckets);
      for (int b = 0; b < buckets; b++) {
        if (counts[b] != 0) {
          out.writeInt(b);
          out.writeLong(counts[b]);
          out.writeLong(firstHalves[b]);
          out.writeLong(secondHalves[b]);
        }
      }
      out.writeInt(-1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** How many buckets encoded sums are over. */
  static int bucketsOf(byte[] encoded) {
    return java.nio.ByteBuffer.wrap(encoded).getInt();
  }

  /** Adds sums as {@link #encode()} wrote them, without making a whole second set of arrays for them. */
  void addEncoded(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      int over = in.readInt();
      if (over != buckets) {
        throw new IllegalArgumentException("cannot add sums over " + over + " buckets to sums over " + buckets);
      }
      for (int b = in.readInt(); b >= 0; b = in.readInt()) {
        counts[b] += in.readLong();
        firstHalves[b] += in.readLong();
        secondHalves[b] += in.readLong();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode bucket sums: " + e.getMessage(), e);
    }
  }
}
