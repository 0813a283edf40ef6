package io.searchmigrate.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What to provision: an immutable request with {@code with...} options. */
public final class ClusterRequest {
  static final String DEFAULT_HEAP = "512m";
  static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(240);
  private final Distribution distribution;
  private final String version;
  private final int port;
  private final String name;
  private final Path pathRepo;
  private final boolean withModules;
  private final String heap;
  private final Duration startTimeout;
  private final List<String> settings;

  private ClusterRequest(Distribution distribution, String version, int port, String name, Path pathRepo, boolean withModules,
      String heap, Duration startTimeout, List<String> settings) {
    this.distribution = distribution;
    this.version = version;
    this.port = port;
    this.name = name;
    this.pathRepo = pathRepo;
    this.withModules = withModules;
    this.heap = heap;
    this.startTimeout = startTimeout;
    this.settings = List.copyOf(settings);
  }

  public static ClusterRequest of(Distribution distribution, String version) {
    return new ClusterRequest(distribution, version, 0, null, null, false, DEFAULT_HEAP, DEFAULT_START_TIMEOUT, List.of());
  }

  /** Listen on this HTTP port (0 picks a free one from 19200 up). */
  public ClusterRequest withPort(int p) {
    return new ClusterRequest(distribution, version, p, name, pathRepo, withModules, heap, startTimeout, settings);
  }

  public ClusterRequest withName(String n) {
    return new ClusterRequest(distribution, version, port, n, pathRepo, withModules, heap, startTimeout, settings);
  }

  public ClusterRequest withPathRepo(Path p) {
    return new ClusterRequest(distribution, version, port, name, p, withModules, heap, startTimeout, settings);
  }

  /** OpenSearch 2.19.x: add analysis-common, mapper-extras, parent-join, reindex, lang-painless, ingest-common. */
  public ClusterRequest withModules(boolean m) {
    return new ClusterRequest(distribution, version, port, name, pathRepo, m, heap, startTimeout, settings);
  }

  public ClusterRequest withHeap(String h) {
    return new ClusterRequest(distribution, version, port, name, pathRepo, withModules, h, startTimeout, settings);
  }

  public ClusterRequest withStartTimeout(Duration t) {
    return new ClusterRequest(distribution, version, port, name, pathRepo, withModules, heap, t, settings);
  }

  /** Adds a node setting, as "key=value" (passed as -Ekey=value). */
  public ClusterRequest withSetting(String keyEqualsValue) {
    List<String> more = new ArrayList<>(settings);
    more.add(keyEqualsValue);
    return new ClusterRequest(distribution, version, port, name, pathRepo, withModules, heap, startTimeout, more);
  }

  public Distribution distribution() {
    return distribution;
  }

  public String version() {
    return version;
  }

  public int port() {
    return port;
  }

  public String name() {
    return name;
  }

  public Path pathRepo() {
    return pathRepo;
  }

  public boolean withModules() {
    return withModules;
  }

  public String heap() {
    return heap;
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  public List<String> settings() {
    return settings;
  }
}
