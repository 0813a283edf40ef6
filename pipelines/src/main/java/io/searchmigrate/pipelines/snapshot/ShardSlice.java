package io.searchmigrate.pipelines.snapshot;

import java.io.Serializable;

/** Lucene documents [from, to) of one shard: the unit of parallel reading. */
final class ShardSlice implements Serializable {
  private static final long serialVersionUID = 1L;
  final ShardRef shard;
  final int from;
  final int to;

  ShardSlice(ShardRef shard, int from, int to) {
    this.shard = shard;
    this.from = from;
    this.to = to;
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
}
