package io.searchmigrate.pipelines.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** One shard of one index of a snapshot: the unit the read is planned by. */
final class ShardRef {
  static final Coder<ShardRef> CODER = new ShardRefCoder();
  final String index;
  final int shard;
  /** Elasticsearch 5 single-type indices: the type their documents do not store. */
  final String defaultType;

  ShardRef(String index, int shard, String defaultType) {
    this.index = index;
    this.shard = shard;
    this.defaultType = defaultType;
  }

  String key() {
    return "[" + index + "][" + shard + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardRef && ((ShardRef) o).index.equals(index) && ((ShardRef) o).shard == shard;
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, shard);
  }

  @Override
  public String toString() {
    return key();
  }

  private static final class ShardRefCoder extends AtomicCoder<ShardRef> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<Integer> INT = VarIntCoder.of();

    @Override
    public void encode(ShardRef shard, OutputStream out) throws IOException {
      STRING.encode(shard.index, out);
      INT.encode(shard.shard, out);
      NULLABLE_STRING.encode(shard.defaultType, out);
    }

    @Override
    public ShardRef decode(InputStream in) throws IOException {
      return new ShardRef(STRING.decode(in), INT.decode(in), NULLABLE_STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
