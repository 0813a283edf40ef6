package io.searchmigrate.testkit;

import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalClusters;
import io.searchmigrate.launcher.ProcessSupervisor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real clusters for tests, provisioned through the product's own launcher and shared by every test in the
 * JVM. A cluster already running under the same name (say, started by hand before a test run) is reused
 * and left running; clusters this JVM started are stopped when it exits.
 *
 * <pre>{@code
 * LocalCluster source = TestClusters.elasticsearch("7.10.2");
 * LocalCluster target = TestClusters.opensearch("2.19.1");
 * }</pre>
 */
public final class TestClusters {
  private static final Map<String, LocalCluster> CLUSTERS = new ConcurrentHashMap<>();
  private static final LocalClusters LAUNCHER = new LocalClusters(ProcessSupervisor.defaultHome(),
      line -> System.out.println("[test-clusters] " + line));

  private TestClusters() {}

  public static LocalCluster elasticsearch(String version) {
    return get(ClusterRequest.of(Distribution.ELASTICSEARCH, version));
  }

  public static LocalCluster opensearch(String version) {
    return get(ClusterRequest.of(Distribution.OPENSEARCH, version));
  }

  /** OpenSearch 2.19.x with analysis-common, mapper-extras, parent-join, reindex, lang-painless, ingest-common. */
  public static LocalCluster opensearchWithModules(String version) {
    return get(ClusterRequest.of(Distribution.OPENSEARCH, version).withModules(true).withName("test-os-" + version + "-mods"));
  }

  /** Provisions (or reuses) the cluster a request describes; its default name is test-&lt;es|os&gt;-&lt;version&gt;. */
  public static synchronized LocalCluster get(ClusterRequest request) {
    String name = request.name() != null ? request.name()
        : "test-" + request.distribution().shortName() + "-" + request.version();
    LocalCluster known = CLUSTERS.get(name);
    if (known != null && known.isRunning()) {
      return known;
    }
    Optional<LocalCluster> running = LAUNCHER.find(name).filter(LocalCluster::isRunning)
        .filter(c -> c.version().equals(request.version()) && c.withModules() == request.withModules())
        .filter(c -> LocalClusters.health(c) != null);
    if (running.isPresent()) {
      CLUSTERS.put(name, running.get());
      return running.get();
    }
    LocalCluster started = LAUNCHER.provision(request.withName(name));
    CLUSTERS.put(name, started);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LAUNCHER.stop(name), "stop-" + name));
    return started;
  }

  public static LocalClusters launcher() {
    return LAUNCHER;
  }
}
