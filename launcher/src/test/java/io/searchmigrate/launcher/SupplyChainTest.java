package io.searchmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.searchmigrate.common.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launcher runs is what the project pinned: downloads (from the real Maven Central), cached copies and the
 * Kafka broker's class path are checked against checksums in the project's sources; plain HTTP repositories are
 * refused; a user's existing snapshot folder keeps its owners.
 */
class SupplyChainTest {
  private static final String COMMONS_LOGGING = "commons-logging:commons-logging:1.2:jar";
  private static final String WRONG = "00".repeat(64);

  @TempDir
  Path temp;

  @Test
  void anUnpinnedVersionIsRefusedBeforeAnythingIsDownloaded() {
    MavenCentral maven = new MavenCentral(temp.resolve("cache"));
    UserError e = assertThrows(UserError.class,
        () -> maven.fetch("org.opensearch.distribution.integ-test-zip", "opensearch", "0.0.1", "zip"));
    assertTrue(e.getMessage().startsWith("no checksum is pinned for org.opensearch.distribution.integ-test-zip:opensearch:0.0.1:zip, "
        + "so the launcher will not run it (pinned opensearch versions: 1.3.14, 1.3.20, 2.0.0, "), e.getMessage());
    assertTrue(e.getMessage().endsWith(", 2.19.1, 2.19.2, 2.19.3, 2.19.4, 2.19.5, 2.19.6, 3.1.0, 3.3.2, 3.4.0, 3.6.0). Choose a "
        + "pinned version, or vouch for this one yourself: put a line 'org.opensearch.distribution.integ-test-zip:opensearch:0.0.1:zip "
        + "sha512 <hex>' in a file and set MIGRATE_EXTRA_CHECKSUMS to it (launcher/pin-checksum.sh prints such lines)"), e.getMessage());
    assertFalse(Files.exists(temp.resolve("cache")), "nothing fetched");
  }

  @Test
  void everyVersionTheReadmeSupportsIsPinned() {
    PinnedChecksums pins = PinnedChecksums.load();
    for (String version : List.of("5.6.16", "6.8.23", "7.10.2", "7.17.29", "8.15.0")) {
      pins.requirePinned("org.elasticsearch.distribution.integ-test-zip:elasticsearch:" + version + ":zip");
    }
    for (String version : List.of("1.3.20", "2.19.1", "3.1.0")) {
      pins.requirePinned("org.opensearch.distribution.integ-test-zip:opensearch:" + version + ":zip");
    }
  }

  @Test
  void aPlainHttpRepositoryIsRefused() {
    UserError e = assertThrows(UserError.class, () -> new MavenCentral(temp, temp, "http://user:token@mirror.example/maven2/",
        PinnedChecksums.load()));
    assertEquals("MIGRATE_MAVEN_REPOSITORY must be an https:// URL, found 'http://****@mirror.example/maven2': over plain HTTP "
        + "anyone on the way could swap the distributions this launcher runs. Use the mirror's https address", e.getMessage());
  }

  @Test
  void aDownloadThatDiffersFromItsPinIsRefusedAndDeleted() {
    Path cache = temp.resolve("cache");
    MavenCentral tampered = new MavenCentral(cache, temp.resolve("no-local-repository"), null, pins(COMMONS_LOGGING, "sha512", WRONG));
    UserError e = assertThrows(UserError.class, () -> tampered.fetch("commons-logging", "commons-logging", "1.2", "jar"));
    Path file = cache.resolve("commons-logging/commons-logging/1.2/commons-logging-1.2.jar");
    assertTrue(e.getMessage().startsWith("the download of " + COMMONS_LOGGING + " from https://repo1.maven.org/maven2 was refused "
        + "(deleted): " + file + ".part is not the " + COMMONS_LOGGING + " the project pinned: its SHA512 is "), e.getMessage());
    assertTrue(e.getMessage().contains(", expected " + WRONG + ". Delete the file and download it again"), e.getMessage());
    assertFalse(Files.exists(file) || Files.exists(file.resolveSibling(file.getFileName() + ".part")), "nothing left behind");

    MavenCentral pinned = new MavenCentral(cache, temp.resolve("no-local-repository"), null, PinnedChecksums.load());
    assertEquals(file, pinned.fetch("commons-logging", "commons-logging", "1.2", "jar"));
    assertEquals(file, pinned.fetch("commons-logging", "commons-logging", "1.2", "jar"), "the cached copy, checked again");
  }

  @Test
  void aCachedOrLocalRepositoryCopyThatDiffersFromItsPinIsRefused() throws Exception {
    Path relative = Path.of("commons-logging/commons-logging/1.2/commons-logging-1.2.jar");
    for (String where : List.of("cache", "local-repository")) {
      Path root = temp.resolve(where);
      Files.createDirectories(root.resolve(relative).getParent());
      Files.writeString(root.resolve(relative), "not the jar");
      MavenCentral maven = new MavenCentral(temp.resolve("cache"), temp.resolve("local-repository"), null, PinnedChecksums.load());
      UserError e = assertThrows(UserError.class, () -> maven.fetch("commons-logging", "commons-logging", "1.2", "jar"));
      assertTrue(e.getMessage().startsWith(root.resolve(relative) + " is not the " + COMMONS_LOGGING
          + " the project pinned: its SHA1 is "), where + ": " + e.getMessage());
    }
  }

  @Test
  void pinFilesAreParsedStrictly() {
    Map<String, Map<String, String>> into = new TreeMap<>();
    assertEquals("extra.txt line 2 should read 'group:artifact:version:type sha512|sha1 hex', found: a:b:1 md5 ff",
        assertThrows(UserError.class, () -> PinnedChecksums.parse("# ok\na:b:1 md5 ff\n", "extra.txt", into)).getMessage());
    assertEquals("extra.txt line 2 pins a:b:1:jar to another sha1 than an earlier line",
        assertThrows(UserError.class, () -> PinnedChecksums.parse("a:b:1:jar sha1 aa\na:b:1:jar sha1 bb\n", "extra.txt", into))
            .getMessage());
  }

  @Test
  void aKafkaBrokerClassPathWithAJarOtherThanThePinnedOneDoesNotStart() throws Exception {
    Path lib = Files.createDirectories(temp.resolve("lib"));
    Files.writeString(lib.resolve("kafka_2.13-4.4.0.jar"), "not the broker");
    LocalKafka kafka = new LocalKafka(temp.resolve("home"), line -> {});
    UserError e = assertThrows(UserError.class, () -> kafka.start("tampered", 0, lib));
    assertTrue(e.getMessage().startsWith(lib.resolve("kafka_2.13-4.4.0.jar") + " is not the org.apache.kafka:kafka_2.13:4.4.0:jar "
        + "the project pinned"), e.getMessage());

    Files.delete(lib.resolve("kafka_2.13-4.4.0.jar"));
    Files.writeString(lib.resolve("kafka_2.13-9.9.9.jar"), "an unreviewed upgrade");
    e = assertThrows(UserError.class, () -> kafka.start("unpinned", 0, lib));
    assertEquals("no checksum is pinned for " + lib.resolve("kafka_2.13-9.9.9.jar") + ", so it will not be run. If the project's "
        + "build changed that dependency, pin it (launcher/pin-checksum.sh GROUP:ARTIFACT:VERSION:jar >> pinned-checksums.txt)",
        e.getMessage());
  }

  @Test
  void anExistingSnapshotFolderKeepsItsOwners() throws Exception {
    assumeTrue(LocalClusters.isRoot(), "ownership changes only when the launcher runs as root");
    Path home = ProcessSupervisor.defaultHome();
    Path repo = Files.createDirectories(home.resolve("snapshot-repos").resolve("users-own-" + UUID.randomUUID()));
    Path usersFile = Files.writeString(repo.resolve("notes.txt"), "the user's, not the cluster's");
    Files.setPosixFilePermissions(usersFile, PosixFilePermissions.fromString("rw-------"));
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    LocalClusters clusters = new LocalClusters(home, log::add);
    String name = "path-repo-owner-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      LocalCluster cluster = clusters.provision(ClusterRequest.of(Distribution.OPENSEARCH, "2.19.1").withName(name).withPathRepo(repo));
      assertTrue(cluster.isRunning());
      assertEquals("root", Files.getOwner(usersFile).getName());
      assertEquals("root", Files.getOwner(repo).getName());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(usersFile)));
      assertTrue(log.contains("path.repo " + repo + " already holds files and belongs to root; left as it is. The cluster runs "
          + "as searchmigrate: to snapshot into it, give that user write access (for example: chown -R searchmigrate " + repo
          + "), or pass an empty --path-repo"), String.join("\n", log));
    } finally {
      clusters.stop(name);
      Files.delete(usersFile);
      Files.delete(repo);
    }
  }

  private static PinnedChecksums pins(String coordinates, String algorithm, String hex) {
    Map<String, Map<String, String>> pins = new TreeMap<>();
    pins.computeIfAbsent(coordinates, k -> new LinkedHashMap<>()).put(algorithm, hex);
    return new PinnedChecksums(pins);
  }
}
