package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.testkit.TestClusters;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
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
  void documentsTheTargetRejectsGoToTheDeadLetterFileAndTheRunFails() throws IOException {
    ClusterClient target = ClusterClient.connect(TestClusters.opensearchWithModules(TARGET_VERSION).endpoint());
    target.delete("/e7_orders");
    target.delete("/e7_customers");
    // a target index that already exists is used as it is: here its mapping cannot take the customers' names
    target.putJson("/e7_customers", Json.parse("{\"mappings\":{\"properties\":{\"name\":{\"type\":\"integer\"}}}}")).requireSuccess();
    Path deadLetters = temp.resolve("rejected.ndjson");
    ConsoleRun run = ConsoleRun.of("backfill", "--repo", prepared.repository.toString(), "--snapshot", SNAPSHOT,
        "--target", TestTargets.url(), "--dead-letter", deadLetters.toString());
    assertEquals(Migrate.RUN_FAILED, run.exitCode, run::toString);
    assertTrue(run.out.contains("result: FAILED: 49 document(s) not delivered; see " + deadLetters), run::toString);
    List<String> lines = Files.readAllLines(deadLetters);
    Set<String> failedIds = new TreeSet<>();
    for (String line : lines) {
      JsonNode failure = Json.parse(line);
      assertEquals("write", failure.path("stage").asText());
      assertEquals("e7_customers", failure.path("index").asText());
      assertEquals("mapper_parsing_exception", failure.path("error_type").asText(), line);
      assertEquals(400, failure.path("status").asInt());
      assertEquals(prepared.workload.expected().get("e7_customers").get(failure.path("id").asText()), failure.path("source"));
      failedIds.add(failure.path("id").asText());
    }
    assertEquals(prepared.workload.expected().get("e7_customers").keySet(), failedIds, "every customer reported, once");
    assertEquals(prepared.workload.expected().get("e7_orders"), SourceWorkload.documents(target, "e7_orders"),
        "the other index is complete");
  }

  @Test
  void documentsStoredWithoutSourceAreCountedAndReported() throws IOException {
    ClusterClient source = ClusterClient.connect(prepared.source.endpoint());
    source.delete("/e7_nosource");
    source.putJson("/e7_nosource", Json.parse("{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
        + "\"mappings\":{\"_source\":{\"enabled\":false},\"properties\":{\"n\":{\"type\":\"integer\"}}}}")).requireSuccess();
    for (int i = 1; i <= 3; i++) {
      source.putJson("/e7_nosource/_doc/ns-" + i + "?refresh=true", Json.object().put("n", i)).requireSuccess();
    }
    Path repository = prepared.source.pathRepo().resolve("nosource-" + UUID.randomUUID());
    assertEquals(0, ConsoleRun.of("snapshot", "create", "--source", prepared.source.url(), "--repo-path", repository.toString(),
        "--repo-name", "nosource", "--snapshot", "ns", "--indices", "e7_nosource", "--wait").exitCode);

    Path deadLetters = temp.resolve("nosource.ndjson");
    ConsoleRun refused = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", "ns", "--target", TestTargets.url(),
        "--dead-letter", deadLetters.toString());
    assertEquals(Migrate.USER_ERROR, refused.exitCode, refused::toString);
    assertTrue(refused.err.contains("'e7_nosource' (_source disabled)"), refused::toString);
    ConsoleRun run = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", "ns", "--target", TestTargets.url(),
        "--dead-letter", deadLetters.toString(), "--accept-partial-source");
    assertEquals(Migrate.RUN_FAILED, run.exitCode, run::toString);
    assertTrue(run.out.contains(String.format("  %-32s %12s %12s %9s %10s %13s%n", "e7_nosource", 3, 0, 0, 3, 0)), run::toString);
    Set<String> ids = new TreeSet<>();
    for (String line : Files.readAllLines(deadLetters)) {
      JsonNode failure = Json.parse(line);
      assertEquals("read", failure.path("stage").asText());
      assertEquals("source_missing", failure.path("error_type").asText());
      ids.add(failure.path("id").asText());
    }
    assertEquals(Set.of("ns-1", "ns-2", "ns-3"), ids);
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
  void aCorruptedShardBlobFailsThatShardNamingTheBlobAndTheOthersArrive() throws IOException {
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

    Path deadLetters = temp.resolve("dl.ndjson");
    ConsoleRun run = ConsoleRun.of("backfill", "--repo", copy.toString(), "--snapshot", SNAPSHOT, "--target", TestTargets.url(),
        "--indices", "e7_orders", "--dead-letter", deadLetters.toString());
    assertEquals(Migrate.RUN_FAILED, run.exitCode, run::toString);
    assertTrue(run.out.contains("result: FAILED: 1 shard(s) or part(s) of shards could not be read (named in " + deadLetters + ")"),
        run::toString);
    List<String> lines = Files.readAllLines(deadLetters);
    assertEquals(1, lines.size(), lines::toString);
    JsonNode failure = Json.parse(lines.get(0));
    assertEquals("shard_unreadable", failure.path("error_type").asText());
    assertTrue(failure.path("reason").asText().contains("(blob " + biggest + ") is corrupt"), failure::toString);
    assertTrue(List.of(run.err.split("\n")).stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + run.err);
  }
}
