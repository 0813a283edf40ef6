package io.searchmigrate.pipelines.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** Lucene documents [from, to) of one shard: the unit of parallel reading (and of resuming). */
public final class ShardSlice {
  static final Coder<ShardSlice> CODER = new ShardSliceCoder();
  final ShardRef shard;
  final int from;
  final int to;

  ShardSlice(ShardRef shard, int from, int to) {
    this.shard = shard;
    this.from = from;
    this.to = to;
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
        && ((ShardSlice) o).to == to;
  }

  @Override
  public int hashCode() {
    return shard.hashCode() * 31 * 31 + from * 31 + to;
  }

  @Override
  public String toString() {
    return shard + "[" + from + "," + to + ")";
  }

  private static final class ShardSliceCoder extends AtomicCoder<ShardSlice> {
    private static final Coder<Integer> INT = VarIntCoder.of();

    @Override
    public void encode(ShardSlice slice, OutputStream out) throws IOException {
      ShardRef.CODER.encode(slice.shard, out);
      INT.encode(slice.from, out);
      INT.encode(slice.to, out);
    }

    @Override
    public ShardSlice decode(InputStream in) throws IOException {
      return new ShardSlice(ShardRef.CODER.decode(in), INT.decode(in), INT.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
