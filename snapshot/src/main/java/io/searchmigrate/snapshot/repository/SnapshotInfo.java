package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.version.ClusterVersion;
import java.util.ArrayList;
import java.util.List;

/** What a snapshot recorded about itself ({@code snap-<uuid>.dat}): state, indices, version, times. */
public final class SnapshotInfo {
  /** OpenSearch sets this bit in version ids to tell them from Elasticsearch ones. */
  private static final int OPENSEARCH_MASK = 0x08000000;
  /** Elasticsearch 8.10+ writes index versions from here up instead of release ids. */
  private static final int FIRST_INDEX_VERSION = 8_500_000;

  private final String name;
  private final String uuid;
  private final String state;
  private final ClusterVersion version;
  private final int versionId;
  private final List<String> indices;
  private final long startTime;
  private final long endTime;
  private final int totalShards;
  private final int successfulShards;

  private SnapshotInfo(String name, String uuid, String state, int versionId, List<String> indices, long startTime,
      long endTime, int totalShards, int successfulShards) {
    this.name = name;
    this.uuid = uuid;
    this.state = state;
    this.versionId = versionId;
    this.version = versionFromId(versionId);
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
        s.path("version_id").asInt(0), indices, s.path("start_time").asLong(0), s.path("end_time").asLong(0),
        s.path("total_shards").asInt(0), s.path("successful_shards").asInt(0));
  }

  /**
   * Decodes version ids: major*1000000 + minor*10000 + revision*100 + build, with OpenSearch's mask bit. From 8.10
   * on Elasticsearch records an "index version" instead (8500000 and up), which names no release: those decode to
   * the lowest release that writes them (8.10.0, 9.0.0), see {@link #versionLabel()}.
   */
  static ClusterVersion versionFromId(int id) {
    if (id <= 0) {
      return null;
    }
    boolean opensearch = (id & OPENSEARCH_MASK) != 0;
    int v = opensearch ? id ^ OPENSEARCH_MASK : id;
    if (!opensearch && v >= FIRST_INDEX_VERSION) {
      int major = v / 1000000;
      return new ClusterVersion(ClusterVersion.Flavor.ELASTICSEARCH, major, major == 8 ? 10 : 0, 0);
    }
    return new ClusterVersion(opensearch ? ClusterVersion.Flavor.OPENSEARCH : ClusterVersion.Flavor.ELASTICSEARCH,
        v / 1000000, (v / 10000) % 100, (v / 100) % 100);
  }

  /** The writer's version for people, e.g. "Elasticsearch 7.10.2" or "Elasticsearch 8.10 or later (index version 8512000)". */
  public String versionLabel() {
    if (version == null) {
      return "an unknown version";
    }
    if (version.isElasticsearch() && versionId >= FIRST_INDEX_VERSION) {
      return version.flavor().displayName() + " " + version.major() + "." + version.minor() + " or later (index version "
          + versionId + ")";
    }
    return version.toString();
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

  /** The version of the cluster that wrote the snapshot (a lower bound for 8.10+), or null when not recorded. */
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
