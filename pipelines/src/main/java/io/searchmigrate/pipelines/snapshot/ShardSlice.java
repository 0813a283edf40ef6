package io.searchmigrate.pipelines.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.BitSet;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * Lucene documents [from, to) of one shard: the unit of parallel reading (and of resuming). A slice of a delta reads
 * only the documents it names ({@link #only}), from the snapshot or, for documents gone since, the previous one.
 */
public final class ShardSlice {
  static final Coder<ShardSlice> CODER = new ShardSliceCoder();
  final ShardRef shard;
  final int from;
  final int to;
  /** The document numbers to read, counted from {@code from}; null: every live one. */
  final BitSet only;
  /** Read from the previous snapshot: documents live there and not (at the same place) now. */
  final boolean gone;

  ShardSlice(ShardRef shard, int from, int to) {
    this(shard, from, to, null, false);
  }

  ShardSlice(ShardRef shard, int from, int to, BitSet only, boolean gone) {
    this.shard = shard;
    this.from = from;
    this.to = to;
    this.only = only;
    this.gone = gone;
  }

  /** Whether the slice reads document {@code doc} (a shard-wide number in the slice), if it is live. */
  boolean reads(int doc) {
    return only == null || only.get(doc - from);
  }

  public String index() {
    return shard.index;
  }

  public int shard() {
    return shard.shard;
  }

  /** First Lucene document of the slice. */
  public int from() {
    return from;
  }

  /** Lucene document after the slice's last. */
  public int to() {
    return to;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardSlice && ((ShardSlice) o).shard.equals(shard) && ((ShardSlice) o).from == from
        && ((ShardSlice) o).to == to && ((ShardSlice) o).gone == gone;
  }

  @Override
  public int hashCode() {
    return shard.hashCode() * 31 * 31 + from * 31 + to + (gone ? 1 : 0);
  }

  @Override
  public String toString() {
    return shard + (gone ? " gone" : "") + "[" + from + "," + to + ")";
  }

  private static final class ShardSliceCoder extends AtomicCoder<ShardSlice> {
    private static final Coder<Integer> INT = VarIntCoder.of();
    private static final Coder<byte[]> BYTES = ByteArrayCoder.of();

    @Override
    public void encode(ShardSlice slice, OutputStream out) throws IOException {
      ShardRef.CODER.encode(slice.shard, out);
      INT.encode(slice.from, out);
      INT.encode(slice.to, out);
      INT.encode(slice.only == null ? 0 : slice.gone ? 2 : 1, out);
      if (slice.only != null) {
        BYTES.encode(slice.only.toByteArray(), out);
      }
    }

    @Override
    public ShardSlice decode(InputStream in) throws IOException {
      ShardRef shard = ShardRef.CODER.decode(in);
      int from = INT.decode(in);
      int to = INT.decode(in);
      int kind = INT.decode(in);
      return kind == 0 ? new ShardSlice(shard, from, to) : new ShardSlice(shard, from, to, BitSet.valueOf(BYTES.decode(in)), kind == 2);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
