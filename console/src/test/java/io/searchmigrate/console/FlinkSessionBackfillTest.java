package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.launcher.LocalFlink;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.launcher.SupervisedProcess;
import io.searchmigrate.pipelines.backfill.ProgressLedger;
import io.searchmigrate.pipelines.runners.FlinkSession;
import io.searchmigrate.testkit.Fixtures;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.TestClusters;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfills submitted to a real Flink 1.19.3 session cluster (a JobManager and two TaskManagers, separate processes
 * started by the project's launcher from runner-configs/flink) from a real Elasticsearch 7.10.2 snapshot into real
 * OpenSearch 2.19.1: the exact documents arrive, also when a TaskManager is killed with SIGKILL in the middle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlinkSessionBackfillTest {
  private static final String CLUSTER = "test-flink-session";
  /** ES_7_10_Single as EXPECTED.md lists it: index → "id routing=r" → the document's contents field. */
  private static final Map<String, Map<String, String>> EXPECTED = Map.of(
      "posts_2023_02_25", Map.of("dkO8Zo4B5P7rRiUeuFRC", "This is a sample blog post content."),
      "posts_2024_01_01", Map.of(
          "d0O8Zo4B5P7rRiUe4VRD routing=user123", "This is another sample blog post content.",
          "eEO-Zo4B5P7rRiUeCFSo routing=user123", "My Time in the Blue Man Group",
          "eUO-Zo4B5P7rRiUeCFTz routing=user123", "The Other Man In Me"));

  private final LocalFlink launcher = new LocalFlink(ProcessSupervisor.defaultHome(), line -> System.out.println("[test-flink] " + line));
  private LocalFlink.Session session;
  private ClusterClient target;
  private Path repository;

  @TempDir
  Path temp;

  @BeforeAll
  void startSessionCluster() {
    repository = Fixtures.snapshot("ES_7_10_Single");
    target = ClusterClient.connect(TestClusters.opensearchWithModules("2.19.1").endpoint());
    Path root = LocalProcesses.projectRoot(FlinkSessionBackfillTest.class);
    launcher.find(CLUSTER).filter(LocalFlink.Session::isRunning).ifPresent(left -> launcher.stop(CLUSTER));
    // two TaskManagers of two slots, jobs of parallelism 2: one TaskManager alone can run a job lost by the other
    session = launcher.start(LocalFlink.Request.of(CLUSTER, LocalFlink.configDir(root)).withTaskManagers(2).withSlots(2),
        LocalFlink.flinkLib(root));
  }

  @AfterAll
  void stopSessionCluster() {
    launcher.stop(CLUSTER);
    emptyTarget(); // the target is shared: other classes evaluate the same fixture's indices against it
  }

  @BeforeEach
  void emptyTarget() {
    EXPECTED.keySet().forEach(index -> target.delete("/" + index));
  }

  @Test
  void aBackfillSubmittedToTheSessionClusterWritesExactlyTheSnapshotsDocuments() {
    ConsoleRun run = backfill(TestTargets.url());
    assertEquals(0, run.exitCode, run::toString);
    assertTrue(run.err.contains("Flink job "), run::toString);
    assertTrue(run.out.contains("result: OK, every document read was written"), run::toString);
    assertTargetHoldsExactlyTheSnapshot();

    ConsoleRun jobs = ConsoleRun.of("flink", "jobs", "--flink-master", session.master());
    assertEquals(0, jobs.exitCode, jobs::toString);
    String jobId = jobIdIn(run.err);
    assertTrue(jobs.out.lines().anyMatch(line -> line.startsWith(jobId + "  FINISHED")), jobs::toString);
  }

  @Test
  void aTaskManagerKilledMidRunIsSurvivedAndEveryDocumentArrivesOnce() throws Exception {
    CountDownLatch bulkSeen = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // the relay holds every bulk request until the TaskManager is killed: the kill lands mid-run, whatever the timing
    try (ScriptedHttpServer relay = ScriptedHttpServer.relay(TestTargets.url(), (n, request) -> {
      if (request.pathAndQuery().contains("_bulk")) {
        bulkSeen.countDown();
        try {
          release.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return null;
    })) {
      CompletableFuture<ConsoleRun> running = CompletableFuture.supplyAsync(() -> backfill(relay.url()));
      assertTrue(bulkSeen.await(5, TimeUnit.MINUTES), "the job sent a bulk request");
      FlinkSession flink = FlinkSession.at(session.master());
      FlinkSession.Job job = flink.jobs().stream().filter(j -> j.state().equals("RUNNING")).findFirst().orElseThrow();
      SupervisedProcess victim = FlinkTaskManagers.holdingTaskOf(launcher, CLUSTER, flink, job.id());
      System.out.println("kill -9 " + victim.pid() + " (" + victim.name() + ")");
      ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();
      Instant killedAt = Instant.now();
      release.countDown();

      ConsoleRun run = running.get(10, TimeUnit.MINUTES);
      assertEquals(0, run.exitCode, run::toString);
      assertTargetHoldsExactlyTheSnapshot();
      System.out.println("after the kill: " + flink.restartedSubtasks(job.id()) + " subtask(s) restarted, numRestarts "
          + flink.restarts(job.id()) + ", failures " + flink.failures(job.id()));
      // the restart by Flink's execution graph (kept for the ended job), not by its sampled numRestarts metric
      assertTrue(flink.restartedSubtasks(job.id()) >= 1, () -> "Flink restarted the job's tasks; it recorded the "
          + "failures " + flink.failures(job.id()) + "; numRestarts " + flink.restarts(job.id()) + "\n" + run);
      assertTrue(flink.failures(job.id()).size() >= 1, () -> "Flink recorded the lost TaskManager: " + run);
      // no slice was finished before the kill (every bulk request was held until then): the job's work survived it
      Matcher ledger = Pattern.compile("progress ledger: (\\S+)").matcher(run.out);
      assertTrue(ledger.find(), run::toString);
      List<ProgressLedger.Entry> slices = ProgressLedger.at(Path.of(ledger.group(1))).entries();
      assertTrue(!slices.isEmpty() && slices.stream().allMatch(slice -> slice.finishedAt().isAfter(killedAt)),
          () -> "every slice finished after the kill at " + killedAt + ": " + slices);
      assertEquals("FINISHED", flink.job(job.id()).orElseThrow().state());
    } finally {
      release.countDown();
      restartKilledTaskManagers();
    }
  }

  @Test
  void detachReturnsOnceSubmittedAndTheJobFinishesOnTheCluster() throws InterruptedException {
    ConsoleRun run = backfill(TestTargets.url(), "--detach");
    assertEquals(0, run.exitCode, run::toString);
    String jobId = jobIdIn(run.err);
    assertTrue(run.out.contains("submitted to Flink (FlinkRunner) as job " + jobId + ", not waited for"), run::toString);
    FlinkSession flink = FlinkSession.at(session.master());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!flink.job(jobId).orElseThrow().isTerminal() && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    assertEquals("FINISHED", flink.job(jobId).orElseThrow().state());
    assertTargetHoldsExactlyTheSnapshot();
  }

  /**
   * {@code backfill stop} on a detached backfill: its Flink job ends CANCELED, a second stop says no backfill runs, and
   * the same backfill command run again completes with exactly the snapshot's documents.
   */
  @Test
  void backfillStopCancelsASubmittedBackfillAndTheSameCommandThenCompletesIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (ScriptedHttpServer relay = ScriptedHttpServer.relay(TestTargets.url(), (n, request) -> {
      if (request.pathAndQuery().contains("_bulk")) {
        try {
          release.await(5, TimeUnit.MINUTES); // the job is still running when it is stopped
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return null;
    })) {
      ConsoleRun detached = backfill(relay.url(), "--detach");
      assertEquals(0, detached.exitCode, detached::toString);
      String jobId = jobIdIn(detached.err);
      FlinkSession flink = FlinkSession.at(session.master());
      assertTrue(flink.job(jobId).orElseThrow().name().startsWith("backfill-global-state-snapshot-"),
          () -> flink.job(jobId).toString());

      ConsoleRun stop = ConsoleRun.of("backfill", "stop", "--flink-master", session.master());
      assertEquals(0, stop.exitCode, stop::toString);
      assertTrue(stop.out.contains("stopped: job " + jobId + " is CANCELED."), stop::toString);
      assertEquals("CANCELED", flink.job(jobId).orElseThrow().state());
      ConsoleRun again = ConsoleRun.of("backfill", "stop", "--flink-master", session.master());
      assertEquals(Migrate.USER_ERROR, again.exitCode, again::toString);
      assertTrue(again.err.contains("no backfill is running on the Flink cluster at " + session.webUrl()), again::toString);

      release.countDown();
      ConsoleRun resumed = backfill(relay.url());
      assertEquals(0, resumed.exitCode, resumed::toString);
      assertTrue(resumed.out.contains("result: OK, every document read was written"), resumed::toString);
      assertTargetHoldsExactlyTheSnapshot();
    } finally {
      release.countDown();
    }
  }

  /**
   * A session cluster runs job after job in the same TaskManager JVMs: a finished job's classes must be let go, or
   * the TaskManagers run out of metaspace after a dozen jobs (as they did while Java's HTTP client kept idle
   * connections, and the threads holding the job's class loader, for 20 minutes). Java's record methods keep the
   * last job's loader, and Flink may keep one more, so at most two stay loaded once the idle connections closed.
   */
  @Test
  void finishedJobsLeaveNoClassLoadersBehindOnTheTaskManagers() throws Exception {
    for (int n = 1; n <= 3; n++) {
      ConsoleRun run = backfill(TestTargets.url(), "--restart");
      assertEquals(0, run.exitCode, run::toString);
    }
    for (SupervisedProcess taskManager : launcher.find(CLUSTER).orElseThrow().taskManagers()) {
      if (!taskManager.isRunning()) {
        continue;
      }
      long loaders = Long.MAX_VALUE;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); // idle connections close after 30 s
      while (loaders > 2 && System.nanoTime() < deadline) {
        Thread.sleep(5_000);
        jcmd(taskManager.pid(), "GC.run");
        loaders = jcmd(taskManager.pid(), "VM.classloader_stats").lines()
            .filter(line -> line.endsWith("org.apache.flink.util.ChildFirstClassLoader")).count();
      }
      assertTrue(loaders <= 2, taskManager.name() + " still holds " + loaders + " jobs' class loaders:\n"
          + jcmd(taskManager.pid(), "VM.classloader_stats"));
    }
  }

  private static String jcmd(long pid, String command) throws Exception {
    Path jcmd = LocalProcesses.javaBinary().resolveSibling("jcmd");
    Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "jcmd " + command + ": " + out);
    return out;
  }

  @Test
  void statusAndCancelAnswerClearly() {
    ConsoleRun status = ConsoleRun.of("flink", "status", "--name", CLUSTER);
    assertEquals(0, status.exitCode, status::toString);
    assertTrue(status.out.startsWith("local cluster '" + CLUSTER + "': running\n"), status::toString);
    assertTrue(status.out.contains("web UI and REST: " + session.webUrl() + " (Flink 1.19.3)"), status::toString);
    assertTrue(status.out.contains("TaskManagers: 2, slots: 4"), status::toString);
    ConsoleRun whole = ConsoleRun.of("status", "--flink-master", session.master());
    assertTrue(whole.out.contains("\nflink      OK    " + session.webUrl() + ": Flink 1.19.3, 2 TaskManager(s), "), "migrate "
        + "status reads the same session: " + whole);

    ConsoleRun cancel = ConsoleRun.of("flink", "cancel", "--flink-master", session.master(), "00000000000000000000000000000000");
    assertEquals(Migrate.USER_ERROR, cancel.exitCode, cancel::toString);
    assertTrue(cancel.err.contains("Flink at " + session.webUrl() + " has no job 00000000000000000000000000000000; "
        + "./migrate flink jobs lists them"), cancel::toString);
  }

  private ConsoleRun backfill(String targetUrl, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("backfill", "--repo", repository.toString(), "--snapshot",
        "global_state_snapshot", "--target", targetUrl, "--runner", "flink", "--flink-master", session.master(),
        "--parallelism", "2", "--progress-every", "1", "--dead-letter", temp.resolve("dead-letters.ndjson").toString()));
    args.addAll(List.of(more));
    return ConsoleRun.of(args.toArray(String[]::new));
  }

  private void assertTargetHoldsExactlyTheSnapshot() {
    Map<String, Map<String, String>> found = new TreeMap<>();
    for (String index : EXPECTED.keySet()) {
      Map<String, String> contents = new TreeMap<>();
      SourceWorkload.documents(target, index).forEach((key, source) -> contents.put(key, source.path("contents").asText()));
      found.put(index, contents);
    }
    assertEquals(new TreeMap<>(EXPECTED), found);
  }

  private void restartKilledTaskManagers() {
    Path root = LocalProcesses.projectRoot(FlinkSessionBackfillTest.class);
    for (SupervisedProcess taskManager : launcher.find(CLUSTER).orElseThrow().taskManagers()) {
      if (!taskManager.isRunning()) {
        launcher.restartTaskManager(CLUSTER, Integer.parseInt(taskManager.attribute("index")), LocalFlink.flinkLib(root));
      }
    }
  }

  private static String jobIdIn(String log) {
    return List.of(log.split("\n")).stream().filter(l -> l.startsWith("Flink job ")).findFirst()
        .map(l -> l.substring("Flink job ".length(), "Flink job ".length() + 32)).orElseThrow(() -> new AssertionError(log));
  }
}
