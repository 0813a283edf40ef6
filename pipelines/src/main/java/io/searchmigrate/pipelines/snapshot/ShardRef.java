package io.searchmigrate.pipelines.snapshot;

import java.io.Serializable;
import java.util.Objects;

/** One shard of one index of a snapshot: the unit the read is planned by. */
final class ShardRef implements Serializable {
  private static final long serialVersionUID = 1L;
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
}
