package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.pipelines.backfill.BackfillJob;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.ScriptedHttpServer.Reply;
import io.searchmigrate.testkit.TestClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill under the faults a production migration meets, injected on real clusters: the target stopped for
 * 90 s mid-run, a gateway that answers {@code 200 {}} (or acknowledges what it never forwarded), a run killed with
 * SIGKILL, indices whose _source is filtered. Each ends with every document on the target or accounted for.
 */
class BackfillUnderFaultsTest {
  private static final String SNAPSHOT = "faults-snap";
  private static final String DOCS = "faults_docs";
  private static final String FILTERED = "faults_filtered";
  private static final int DOC_COUNT = 600;
  private static Path repository;
  private static Map<String, JsonNode> expected;

  @TempDir
  Path temp;

  @BeforeAll
  static void snapshotASource() {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    SourceWorkload w = new SourceWorkload(ClusterClient.connect(source.endpoint()));
    w.numberedIndex(DOCS, 2, DOC_COUNT);
    ObjectNode filtered = Json.object();
    filtered.putObject("_doc").putObject("_source").putArray("excludes").add("secret");
    w.createIndex(FILTERED, 1, filtered, null);
    w.index(FILTERED, "_doc", "f-1", null, "{\"name\":\"kept\",\"secret\":\"left out of _source\"}");
    w.refresh(FILTERED);
    expected = w.expected().get(DOCS);

    repository = source.pathRepo().resolve("faults-" + UUID.randomUUID());
    ConsoleRun snapshot = ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo-path", repository.toString(),
        "--snapshot", SNAPSHOT, "--indices", DOCS + "," + FILTERED, "--wait");
    assertEquals(0, snapshot.exitCode, snapshot::toString);
  }

  private static boolean isBulk(ScriptedHttpServer.Request request) {
    return request.pathAndQuery().startsWith("/_bulk");
  }

  private static Map<String, JsonNode> onTarget(LocalCluster target) {
    return SourceWorkload.documents(ClusterClient.connect(target.endpoint()), DOCS);
  }

  @Test
  void aTargetStoppedFor90SecondsMidRunGetsEveryDocumentAndNothingIsDeadLettered() throws Exception {
    LocalCluster target = TestClusters.get(ClusterRequest.of(Distribution.OPENSEARCH, "2.19.1").withName("test-os-outage"));
    ClusterClient.connect(target.endpoint()).delete("/" + DOCS);
    CountDownLatch midRun = new CountDownLatch(1);
    CountDownLatch targetStopped = new CountDownLatch(1);
    AtomicInteger bulks = new AtomicInteger();
    try (ScriptedHttpServer gate = ScriptedHttpServer.relay(target.url(), (n, request) -> {
      if (isBulk(request) && bulks.incrementAndGet() == 3) {
        midRun.countDown(); // two batches are in; this one waits until the target is down, then meets the outage
        await(targetStopped);
      }
      return null;
    })) {
      Path deadLetters = temp.resolve("dead-letters.ndjson");
      CompletableFuture<ConsoleRun> run = CompletableFuture.supplyAsync(() -> ConsoleRun.of("backfill", "--repo",
          repository.toString(), "--snapshot", SNAPSHOT, "--indices", DOCS, "--target", gate.url(), "--batch-docs", "50",
          "--dead-letter", deadLetters.toString(), "--progress-every", "5"));
      assertTrue(midRun.await(3, TimeUnit.MINUTES), "the backfill reached its third bulk request");
      TestClusters.launcher().stop(target.name());
      targetStopped.countDown();
      Thread.sleep(90_000);
      TestClusters.launcher().restart(target.name());

      ConsoleRun result = run.get(10, TimeUnit.MINUTES);
      assertEquals(0, result.exitCode, result::toString);
      assertTrue(result.out.contains("result: OK, every document read was written"), result::toString);
      assertTrue(result.out.matches("(?s).*the target was away or answered out of turn \\d+ time\\(s\\).*"), result::toString);
      assertTrue(result.out.contains("dead letters: none (no file written)"), result::toString);
      assertFalse(Files.exists(deadLetters));
    }
    assertEquals(expected, onTarget(target), "every document arrived, each once");
  }

  @Test
  void aGatewayAnswering200WithoutABulkAnswerIsRetriedUntilEveryDocumentArrives() {
    LocalCluster target = TestClusters.opensearch("2.19.1");
    ClusterClient.connect(target.endpoint()).delete("/" + DOCS);
    AtomicInteger bulks = new AtomicInteger();
    try (ScriptedHttpServer gateway = ScriptedHttpServer.relay(target.url(), (n, request) -> {
      if (isBulk(request)) {
        int bulk = bulks.incrementAndGet();
        if (bulk % 3 == 1) {
          return Reply.json(200, "{}");
        }
        if (bulk % 3 == 2) {
          return new Reply(200, "text/html", "<html><body>maintenance</body></html>");
        }
      }
      return null;
    })) {
      ConsoleRun run = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", SNAPSHOT, "--indices", DOCS,
          "--target", gateway.url(), "--batch-docs", "100", "--dead-letter", temp.resolve("dl.ndjson").toString());
      assertEquals(0, run.exitCode, run::toString);
      assertTrue(run.out.contains("result: OK, every document read was written"), run::toString);
    }
    assertEquals(expected, onTarget(target));
  }

  @Test
  void aGatewayThatAcknowledgesWhatItNeverForwardedFailsTheRunOnTheCount() {
    LocalCluster target = TestClusters.opensearch("2.19.1");
    ClusterClient.connect(target.endpoint()).delete("/" + DOCS);
    AtomicInteger bulks = new AtomicInteger();
    AtomicInteger forged = new AtomicInteger();
    try (ScriptedHttpServer gateway = ScriptedHttpServer.relay(target.url(), (n, request) -> {
      if (isBulk(request) && bulks.incrementAndGet() == 2) {
        int docs = (int) request.body().lines().count() / 2;
        forged.set(docs);
        return bulkAnswer(false, docs, "{\"index\":{\"status\":201}}");
      }
      return null;
    })) {
      ConsoleRun run = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", SNAPSHOT, "--indices", DOCS,
          "--target", gateway.url(), "--batch-docs", "100", "--dead-letter", temp.resolve("dl.ndjson").toString());
      assertEquals(Migrate.RUN_FAILED, run.exitCode, run::toString);
      assertTrue(forged.get() > 0);
      assertTrue(run.out.contains("result: FAILED: index '" + DOCS + "': the target counts " + (DOC_COUNT - forged.get())
          + " document(s) but acknowledged " + DOC_COUNT + " (something between here and the target answered for it?)"),
          run::toString);
    }
  }

  @Test
  void indicesThatFilterTheirSourceAreRefusedUnlessAcceptedAndThenMarked() {
    LocalCluster target = TestClusters.opensearch("2.19.1");
    ClusterClient.connect(target.endpoint()).delete("/" + FILTERED);
    ConsoleRun refused = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", SNAPSHOT, "--indices", FILTERED,
        "--target", target.url());
    assertEquals(2, refused.exitCode, refused::toString);
    assertEquals("error: these indices keep only part of each document's _source, so a snapshot cannot give their documents "
        + "back whole: '" + FILTERED + "' (_source excludes [secret]). Leave them out with --indices, or copy what the snapshot "
        + "holds with --accept-partial-source (the summary marks them)\n", refused.err.substring(refused.err.indexOf("error: ")));

    ConsoleRun accepted = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", SNAPSHOT, "--indices",
        FILTERED, "--target", target.url(), "--accept-partial-source");
    assertEquals(0, accepted.exitCode, accepted::toString);
    assertTrue(accepted.out.contains("  PARTIAL: index '" + FILTERED + "' filters _source (excludes [secret]): its documents "
        + "carry only what the snapshot stored (--accept-partial-source)"), accepted::toString);
    assertEquals(Map.of("f-1", Json.parse("{\"name\":\"kept\"}")), SourceWorkload.documents(ClusterClient.connect(target.endpoint()),
        FILTERED));

    ConsoleRun assess = ConsoleRun.of("assess", "--repo", repository.toString(), "--snapshot", SNAPSHOT, "--target-version",
        "OS 2.19.1", "--output", "json");
    assertEquals(0, assess.exitCode, assess::toString);
    List<String> affected = new ArrayList<>();
    for (JsonNode finding : Json.parse(assess.out).path("findings")) {
      if (finding.path("id").asText().equals("filtered-source")) {
        finding.path("affected").forEach(a -> affected.add(a.asText()));
      }
    }
    assertEquals(List.of("index '" + FILTERED + "' (_source excludes [secret])"), affected);
  }

  @Test
  void aRunKilledMidWayKeepsTheDeadLettersItHadGathered() throws Exception {
    LocalCluster target = TestClusters.opensearch("2.19.1");
    ClusterClient.connect(target.endpoint()).delete("/" + DOCS);
    Path deadLetters = temp.resolve("dead-letters.ndjson");
    // small slices and batches: each batch travels in a bundle of its own, so its dead letters reach the disk on their
    // own; enough threads that the batches hanging on the target leave one for the dead-letter step
    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean firstAnswered = new AtomicBoolean();
    AtomicBoolean hanging = new AtomicBoolean();
    AtomicInteger refused = new AtomicInteger();
    try (ScriptedHttpServer gateway = ScriptedHttpServer.relay(target.url(), (n, request) -> {
      if (!isBulk(request)) {
        return null;
      }
      if (firstAnswered.compareAndSet(false, true)) { // the first batch: every document refused for itself
        int docs = (int) request.body().lines().count() / 2;
        refused.set(docs);
        return bulkAnswer(true, docs,
            "{\"index\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"injected\"}}}");
      }
      // later batches: once the refused ones are on disk, the target hangs and the run goes on, until killed
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (lines(deadLetters) == 0 && System.nanoTime() < deadline) {
        sleep(100);
      }
      hanging.set(true);
      await(never);
      return null;
    })) {
      Process backfill = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), BackfillJob.class.getName(), "--repo=" + repository,
          "--snapshot=" + SNAPSHOT, "--indices=" + DOCS, "--target=" + gateway.url(), "--batchDocs=50",
          "--sliceSize=50", "--deadLetter=" + deadLetters, "--runner=DirectRunner", "--targetParallelism=32")
          .redirectErrorStream(true).redirectOutput(temp.resolve("backfill.log").toFile()).start();
      long onDisk;
      try {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!hanging.get() && System.nanoTime() < deadline && backfill.isAlive()) {
          Thread.sleep(200);
        }
        assertTrue(hanging.get() && backfill.isAlive(), () -> "running, its target hanging: " + read(temp.resolve("backfill.log")));
        onDisk = lines(deadLetters);
      } finally {
        backfill.destroyForcibly(); // SIGKILL: no shutdown hook, no end-of-pipeline write
        backfill.waitFor(1, TimeUnit.MINUTES);
      }
      never.countDown();
      List<String> kept = Files.readAllLines(deadLetters);
      assertEquals(onDisk, kept.size(), "what was on disk stays, whole lines only");
      assertEquals(refused.get(), kept.size(), "every document refused before the kill is reported");
      for (String line : kept) {
        JsonNode failure = Json.parse(line);
        assertEquals("mapper_parsing_exception", failure.path("error_type").asText());
        assertTrue(failure.path("id").asText().startsWith("doc-"), line);
      }
    }
  }

  /** A bulk answer of {@code docs} identical items, as a gateway could forge it. */
  private static Reply bulkAnswer(boolean errors, int docs, String item) {
    return Reply.json(200, "{\"errors\":" + errors + ",\"items\":[" + String.join(",", Collections.nCopies(docs, item)) + "]}");
  }

  private static long lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "(no log)";
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
