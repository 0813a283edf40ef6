package io.searchmigrate.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.json.Json;
import java.nio.file.Path;

/** A cluster the launcher started: what it runs, where it listens, and the PID that stops it. */
public final class LocalCluster {
  private final String name;
  private final Distribution distribution;
  private final String version;
  private final int port;
  private final long pid;
  private final Path home;
  private final Path pathRepo;
  private final boolean withModules;

  LocalCluster(String name, Distribution distribution, String version, int port, long pid, Path home, Path pathRepo,
      boolean withModules) {
    this.name = name;
    this.distribution = distribution;
    this.version = version;
    this.port = port;
    this.pid = pid;
    this.home = home;
    this.pathRepo = pathRepo;
    this.withModules = withModules;
  }

  public String name() {
    return name;
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

  public long pid() {
    return pid;
  }

  /** The unpacked distribution this cluster runs from. */
  public Path home() {
    return home;
  }

  /** The cluster's {@code path.repo}: filesystem snapshot repositories must live under it. */
  public Path pathRepo() {
    return pathRepo;
  }

  public boolean withModules() {
    return withModules;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public ClusterEndpoint endpoint() {
    return ClusterEndpoint.of(url());
  }

  /** True while the recorded PID is alive and still this cluster's process (PIDs get reused). */
  public boolean isRunning() {
    return LocalProcesses.isRunning(pid, home.toString());
  }

  JsonNode toJson() {
    ObjectNode node = Json.object();
    node.put("name", name).put("distribution", distribution.id()).put("version", version).put("port", port)
        .put("url", url()).put("pid", pid).put("home", home.toString()).put("path_repo", pathRepo.toString())
        .put("with_modules", withModules);
    return node;
  }

  static LocalCluster fromJson(JsonNode node) {
    return new LocalCluster(node.path("name").asText(), Distribution.parse(node.path("distribution").asText()),
        node.path("version").asText(), node.path("port").asInt(), node.path("pid").asLong(),
        Path.of(node.path("home").asText()), Path.of(node.path("path_repo").asText()), node.path("with_modules").asBoolean());
  }

  @Override
  public String toString() {
    return name + " (" + distribution.id() + " " + version + " at " + url() + ")";
  }
}
