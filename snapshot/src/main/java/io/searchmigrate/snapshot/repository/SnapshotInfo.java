package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.version.ClusterVersion;
import java.util.ArrayList;
import java.util.List;

/** What a snapshot recorded about itself ({@code snap-<uuid>.dat}): state, indices, version, times. */
public final class SnapshotInfo {
  /** OpenSearch sets this bit in version ids to tell them from Elasticsearch ones. */
  private static final int OPENSEARCH_MASK = 0x08000000;

  private final String name;
  private final String uuid;
  private final String state;
  private final ClusterVersion version;
  private final List<String> indices;
  private final long startTime;
  private final long endTime;
  private final int totalShards;
  private final int successfulShards;

  private SnapshotInfo(String name, String uuid, String state, ClusterVersion version, List<String> indices, long startTime,
      long endTime, int totalShards, int successfulShards) {
    this.name = name;
    this.uuid = uuid;
    this.state = state;
    this.version = version;
    this.indices = indices;
    this.startTime = startTime;
    this.endTime = endTime;
    this.totalShards = totalShards;
    this.successfulShards = successfulShards;
  }

  static SnapshotInfo parse(JsonNode blob) {
    JsonNode s = blob.has("snapshot") ? blob.path("snapshot") : blob;
    List<String> indices = new ArrayList<>();
    s.path("indices").forEach(i -> indices.add(i.asText()));
    return new SnapshotInfo(s.path("name").asText(), s.path("uuid").asText(), s.path("state").asText("UNKNOWN"),
        versionFromId(s.path("version_id").asInt(0)), indices, s.path("start_time").asLong(0), s.path("end_time").asLong(0),
        s.path("total_shards").asInt(0), s.path("successful_shards").asInt(0));
  }

  /** Decodes Elasticsearch/OpenSearch version ids: major*1000000 + minor*10000 + revision*100 + build. */
  static ClusterVersion versionFromId(int id) {
    if (id <= 0) {
      return null;
    }
    boolean opensearch = (id & OPENSEARCH_MASK) != 0;
    int v = opensearch ? id ^ OPENSEARCH_MASK : id;
    return new ClusterVersion(opensearch ? ClusterVersion.Flavor.OPENSEARCH : ClusterVersion.Flavor.ELASTICSEARCH,
        v / 1000000, (v / 10000) % 100, (v / 100) % 100);
  }

  public String name() {
    return name;
  }

  public String uuid() {
    return uuid;
  }

  public String state() {
    return state;
  }

  /** The version of the cluster that wrote the snapshot, or null when not recorded. */
  public ClusterVersion version() {
    return version;
  }

  public List<String> indices() {
    return indices;
  }

  public long startTime() {
    return startTime;
  }

  public long endTime() {
    return endTime;
  }

  public int totalShards() {
    return totalShards;
  }

  public int successfulShards() {
    return successfulShards;
  }
}
