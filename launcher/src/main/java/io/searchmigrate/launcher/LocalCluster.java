package io.searchmigrate.launcher;

import io.searchmigrate.common.http.ClusterEndpoint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A cluster the launcher started: what it runs, where it listens, and the PID that stops it. */
public final class LocalCluster {
  private final SupervisedProcess process;

  LocalCluster(SupervisedProcess process) {
    this.process = process;
  }

  /** The record of a cluster started from {@code home}; the node's command line names that folder. */
  static SupervisedProcess record(String name, Distribution distribution, String version, int port, long pid, Path dir,
      Path home, Path pathRepo, boolean withModules, String heap, List<String> settings, Path log) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("distribution", distribution.id());
    attributes.put("version", version);
    attributes.put("home", home.toString());
    attributes.put("path_repo", pathRepo.toString());
    attributes.put("with_modules", Boolean.toString(withModules));
    attributes.put("heap", heap);
    attributes.put("settings", String.join("\n", settings));
    return new SupervisedProcess(ProcessKind.CLUSTER, name, pid, home.toString(), dir, log, url(port),
        Map.of("http", port), attributes);
  }

  public String name() {
    return process.name();
  }

  public Distribution distribution() {
    return Distribution.parse(process.attribute("distribution"));
  }

  public String version() {
    return process.attribute("version");
  }

  public int port() {
    return process.port("http");
  }

  public long pid() {
    return process.pid();
  }

  /** The unpacked distribution this cluster runs from. */
  public Path home() {
    return Path.of(process.attribute("home"));
  }

  /** The cluster's {@code path.repo}: filesystem snapshot repositories must live under it. */
  public Path pathRepo() {
    return Path.of(process.attribute("path_repo"));
  }

  public boolean withModules() {
    return Boolean.parseBoolean(process.attribute("with_modules"));
  }

  public String url() {
    return url(port());
  }

  public ClusterEndpoint endpoint() {
    return ClusterEndpoint.of(url());
  }

  /** True while the recorded PID is alive and still this cluster's process (PIDs get reused). */
  public boolean isRunning() {
    return process.isRunning();
  }

  /** What the supervisor recorded. */
  public SupervisedProcess process() {
    return process;
  }

  private static String url(int port) {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public String toString() {
    return name() + " (" + distribution().id() + " " + version() + " at " + url() + ")";
  }
}
