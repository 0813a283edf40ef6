package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Elasticsearch 7.10.2 → OpenSearch 2.19.1, plus the console's answers to bad input. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillFromElasticsearch7Test extends BackfillEndToEndTest {
  private Prepared prepared;

  @BeforeAll
  void prepare() {
    prepared = prepare("7.10.2", "e7", false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink-local"})
  void backfillsEveryLiveDocumentExactly(String runner) throws IOException {
    backfillsExactly(prepared, runner);
  }

  @Test
  void snapshotStatusAndDumpShowTheSnapshot() {
    ConsoleRun status = ConsoleRun.of("snapshot", "status", "--source", prepared.source.url(), "--snapshot", SNAPSHOT);
    assertEquals(0, status.exitCode, status::toString);
    assertTrue(status.out.startsWith(SNAPSHOT + ": SUCCESS, shards 4/4 done (0 failed), "), status::toString);

    ConsoleRun dump = ConsoleRun.of("snapshot", "dump", "--repo", prepared.repository.toString(), "--snapshot", SNAPSHOT,
        "--index", "e7_customers");
    assertEquals(0, dump.exitCode, dump::toString);
    Set<String> lines = dump.out.lines().collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = new TreeSet<>();
    prepared.workload.expected().get("e7_customers").forEach((id, source) ->
        expected.add(Json.toString(Json.object().put("index", "e7_customers").put("id", id).set("source", source))));
    assertEquals(expected, lines);
  }

  @Test
  void snapshotFailuresOfTheSourceAreClear() {
    ConsoleRun outside = ConsoleRun.of("snapshot", "create", "--source", prepared.source.url(), "--repo-path",
        "/tmp/not-under-path-repo", "--repo-name", "elsewhere", "--snapshot", "x");
    assertEquals(Migrate.USER_ERROR, outside.exitCode, outside::toString);
    assertTrue(outside.err.contains("error: the source refused the repository location /tmp/not-under-path-repo: it is not "
        + "under the source's path.repo setting. Pick a folder under path.repo (the source has " + prepared.source.pathRepo()),
        outside::toString);

    ConsoleRun again = ConsoleRun.of("snapshot", "create", "--source", prepared.source.url(), "--repo-path",
        prepared.repository.toString(), "--snapshot", SNAPSHOT);
    assertEquals(Migrate.USER_ERROR, again.exitCode, again::toString);
    assertTrue(again.err.contains("error: snapshot '" + SNAPSHOT + "' already exists in repository 'migration_repo'"), again::toString);

    ConsoleRun missing = ConsoleRun.of("snapshot", "status", "--source", prepared.source.url(), "--snapshot", "nope");
    assertEquals(Migrate.USER_ERROR, missing.exitCode, missing::toString);
    assertTrue(missing.err.contains("snapshot 'nope' not found in repository 'migration_repo'; snapshots there: [" + SNAPSHOT + "]"),
        missing::toString);
  }

  @Test
  void unknownSnapshotListsTheSnapshotsPresent() {
    ConsoleRun run = ConsoleRun.of("backfill", "--repo", prepared.repository.toString(), "--snapshot", "typo",
        "--target", TestTargets.url());
    assertEquals(Migrate.USER_ERROR, run.exitCode, run::toString);
    assertTrue(run.err.contains("error: snapshot 'typo' not found in repository " + prepared.repository
        + "; snapshots there: [" + SNAPSHOT + "]"), run::toString);
  }

  @Test
  void unreachableTargetFailsFastAndClearly() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    long started = System.nanoTime();
    ConsoleRun run = ConsoleRun.of("backfill", "--repo", prepared.repository.toString(), "--snapshot", SNAPSHOT,
        "--target", "http://127.0.0.1:" + closedPort);
    assertEquals(Migrate.USER_ERROR, run.exitCode, run::toString);
    assertEquals("error: cannot reach http://127.0.0.1:" + closedPort + ": connection refused. Is the cluster running, and is "
        + "the port right?", run.err.strip(), run::toString);
    assertTrue((System.nanoTime() - started) / 1e9 < 30, "answered within 30 s");
  }

  @Test
  void corruptedShardBlobStopsTheBackfillNamingTheBlob() throws IOException {
    Path copy = temp.resolve("corrupt-repo");
    try (Stream<Path> files = Files.walk(prepared.repository)) {
      for (Path p : (Iterable<Path>) files.sorted()::iterator) {
        Files.copy(p, copy.resolve(prepared.repository.relativize(p).toString()));
      }
    }
    Path biggest;
    try (Stream<Path> files = Files.walk(copy.resolve("indices"))) {
      biggest = files.filter(p -> p.getFileName().toString().startsWith("__"))
          .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(biggest);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(biggest, bytes);

    ConsoleRun run = ConsoleRun.of("backfill", "--repo", copy.toString(), "--snapshot", SNAPSHOT, "--target", TestTargets.url(),
        "--indices", "e7_orders", "--dead-letter", temp.resolve("dl.ndjson").toString());
    assertEquals(Migrate.USER_ERROR, run.exitCode, run::toString);
    assertTrue(run.err.contains("(blob " + biggest + ") is corrupt"), run::toString);
    assertTrue(List.of(run.err.split("\n")).stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + run.err);
  }
}
