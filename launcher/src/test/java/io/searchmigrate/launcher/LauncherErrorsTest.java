package io.searchmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's clear errors: port taken, download refused, no suitable JDK, bad requests. */
class LauncherErrorsTest {
  @TempDir
  Path home;

  @Test
  void portTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      LocalClusters clusters = new LocalClusters(home, line -> {});
      UserError e = assertThrows(UserError.class, () -> clusters.provision(
          ClusterRequest.of(Distribution.OPENSEARCH, "2.19.1").withPort(taken.getLocalPort())));
      assertEquals("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use; pick another with --port, or stop "
          + "what listens there", e.getMessage());
    }
  }

  @Test
  void neverWipesTheFolderOfANodeThatRunsWithoutARecord() throws Exception {
    // stands in for a node started by an earlier build: alive, its command line naming the cluster's folder
    Path dist = home.resolve("clusters/orphan/dist");
    Files.createDirectories(dist);
    String classPath = Path.of(SupervisedChild.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    Process node = LocalProcesses.startJava(List.of("-Xmx32m"), classPath, SupervisedChild.class.getName(),
        List.of("-Epath.home=" + dist), home.resolve("orphan.log"));
    try {
      Files.writeString(dist.resolve("pid"), Long.toString(node.pid()));
      LocalClusters clusters = new LocalClusters(home, line -> {});
      UserError e = assertThrows(UserError.class, () -> clusters.provision(
          ClusterRequest.of(Distribution.OPENSEARCH, "2.19.1").withName("orphan")));
      assertEquals("a node (pid " + node.pid() + ") still runs from " + dist + " but no running cluster 'orphan' is recorded; "
          + "stop it (kill " + node.pid() + "), then provision again", e.getMessage());
      assertTrue(node.isAlive() && Files.isDirectory(dist), "left as it was");
    } finally {
      node.destroyForcibly().waitFor();
    }
  }

  @Test
  void downloadRefusedNamesTheArtifact() {
    String coordinates = "org.opensearch.distribution.integ-test-zip:opensearch:0.0.1:zip";
    Map<String, Map<String, String>> pins = new TreeMap<>(Map.of(coordinates, Map.of("sha512", "00")));
    MavenCentral maven = new MavenCentral(home, home.resolve("no-local-repository"), null, new PinnedChecksums(pins));
    UserError e = assertThrows(UserError.class,
        () -> maven.fetch("org.opensearch.distribution.integ-test-zip", "opensearch", "0.0.1", "zip"));
    assertTrue(e.getMessage().startsWith("https://repo1.maven.org/maven2 has no " + coordinates + " (HTTP 404)"), e.getMessage());
  }

  @Test
  void missingJdkSaysWhichOneAndHow() {
    UserError e = assertThrows(UserError.class, () -> JavaHomes.find(90, 99, 95, "opensearch 9.0.0"));
    assertTrue(e.getMessage().startsWith("opensearch 9.0.0 needs a Java 90+ JDK and none was found"), e.getMessage());
    assertTrue(e.getMessage().contains("MIGRATE_JAVA_HOME_95"), e.getMessage());
  }

  @Test
  void findsTheRunningJdk() {
    int running = Runtime.version().feature();
    assertEquals(running, JavaHomes.majorVersion(JavaHomes.find(running, running, running, "test")));
  }

  @Test
  void badVersionNameAndModulesOnElasticsearch() {
    LocalClusters clusters = new LocalClusters(home, line -> {});
    assertEquals("version '7.10' should look like 7.10.2",
        assertThrows(UserError.class, () -> clusters.provision(ClusterRequest.of(Distribution.ELASTICSEARCH, "7.10"))).getMessage());
    assertEquals("cluster name 'a b' may hold only letters, digits, '.', '_' and '-'", assertThrows(UserError.class,
        () -> clusters.provision(ClusterRequest.of(Distribution.ELASTICSEARCH, "7.10.2").withName("a b"))).getMessage());
    assertEquals("--with-modules adds OpenSearch modules; Elasticsearch 7.10.2 is not OpenSearch", assertThrows(UserError.class,
        () -> clusters.provision(ClusterRequest.of(Distribution.ELASTICSEARCH, "7.10.2").withModules(true))).getMessage());
    assertEquals("unknown distribution 'solr'; expected elasticsearch (es) or opensearch (os)",
        assertThrows(UserError.class, () -> Distribution.parse("solr")).getMessage());
  }
}
