package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalFlink;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.launcher.SupervisedProcess;
import io.searchmigrate.pipelines.runners.FlinkSession;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay as a Flink streaming job, on real parts: a real Elasticsearch 7.10.2 behind the capture proxy with a real
 * Kafka broker, replayed into a real OpenSearch 2.19.1 on Flink's mini-cluster ({@code --runner flink-local}) and
 * on a real Flink 1.19.3 session cluster ({@code --runner flink}, separate JobManager and TaskManager processes).
 * A replay stopped midway resumes from the offsets its answered requests were committed at, and a TaskManager
 * killed with SIGKILL mid-replay is survived from the last checkpoint: either way the target ends up holding exactly
 * the source's documents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayOnFlinkTest {
  private static final String CLUSTER = "test-flink-replay";
  private final LocalFlink launcher = new LocalFlink(ProcessSupervisor.defaultHome(), line -> System.out.println("[test-flink] " + line));

  @AfterAll
  void stopSessionCluster() {
    if (launcher.find(CLUSTER).isPresent()) {
      launcher.stop(CLUSTER);
    }
  }

  @Test
  void onTheMiniClusterAReplayStoppedMidwayResumesAndDrainsWithATupleForEveryRequest(@TempDir Path dir) throws Exception {
    ReplayJourney journey = capture("replay-fl", dir);
    Path tuples = dir.resolve("tuples");
    // ten times the captured gaps: the stop comes once status shows 20 requests (Flink's counters lag by seconds) and
    // lets the replay run 3 s more; requests of a partition read after another one's are due already and go at once
    // no --runner: Flink's mini-cluster is the replay's default
    String[] start = {"replay", "start", "--name", "flink-local-test", "--kafka",
        journey.kafka.bootstrap(), "--topic", journey.topic, "--group", "group-" + journey.index, "--target",
        journey.target.url(), "--source-version", "7.10.2", "--tuples", tuples.toString(), "--speedup", "0.1"};
    ConsoleRun first = ConsoleRun.of(start);
    assertEquals(0, first.exitCode, first::toString);
    try {
      JsonNode running = ReplayJourney.awaitStatus("flink-local-test", s -> s.path("replayed").asLong() >= 20,
          Duration.ofSeconds(180));
      assertEquals("flink-local", running.path("runner").asText(), running::toString);
    } finally {
      ConsoleRun stop = ConsoleRun.of("replay", "stop", "--name", "flink-local-test");
      assertEquals(0, stop.exitCode, stop::toString);
    }
    JsonNode stopped = ReplayJourney.status("flink-local-test");
    assertTrue(stopped.get("lag").asLong() > 0, "stopped midway (captured timing kept): " + stopped);
    int tuplesBefore = ReplayJourney.readLines(tuples, "tuples").size();

    ConsoleRun rest = ConsoleRun.of("replay", "run", "--runner", "flink-local", "--kafka", journey.kafka.bootstrap(),
        "--topic", journey.topic, "--group", "group-" + journey.index, "--target", journey.target.url(),
        "--source-version", "7.10.2", "--tuples", tuples.toString(), "--speedup", "max", "--until-drained",
        "--progress-every", "2");
    assertEquals(0, rest.exitCode, rest::toString);
    assertTrue(rest.out.contains("drained: every captured request was answered and committed"), rest::toString);
    journey.assertTargetEqualsSource();
    List<JsonNode> lines = ReplayJourney.readLines(tuples, "tuples");
    int resumed = lines.size() - tuplesBefore;
    assertTrue(resumed > 0 && resumed < journey.sent, "the second run replayed only what was not answered before: "
        + resumed + " of " + journey.sent);
    assertEquals(journey.sent, lines.stream().map(t -> t.get("connection").asText() + "/" + t.get("request_index"))
        .distinct().count(), "a tuple for every captured request");
  }

  @Test
  void onASessionClusterAReplayOutlivesAKilledTaskManagerAndConverges(@TempDir Path dir) throws Exception {
    Path root = LocalProcesses.projectRoot(ReplayOnFlinkTest.class);
    launcher.find(CLUSTER).filter(LocalFlink.Session::isRunning).ifPresent(left -> launcher.stop(CLUSTER));
    // two TaskManagers of two slots, a job of parallelism 2: one TaskManager alone can run what the other lost
    LocalFlink.Session session = launcher.start(LocalFlink.Request.of(CLUSTER, LocalFlink.configDir(root))
        .withTaskManagers(2).withSlots(2), LocalFlink.flinkLib(root));
    ReplayJourney journey = capture("replay-fs", dir);
    ConsoleRun started = ConsoleRun.of("replay", "start", "--name", "flink-session-test", "--runner", "flink",
        "--flink-master", session.master(), "--parallelism", "2", "--kafka", journey.kafka.bootstrap(), "--topic",
        journey.topic, "--group", "group-" + journey.index, "--target", journey.target.url(), "--source-version", "7.10.2",
        "--tuples", dir.resolve("tuples").toString(), "--speedup", "0.25"); // four times the captured gaps: a long run
    assertEquals(0, started.exitCode, started::toString);
    FlinkSession flink = FlinkSession.at(session.master());
    try {
      ReplayJourney.awaitStatus("flink-session-test", s -> s.path("replayed").asLong() >= 10, Duration.ofSeconds(240));
      FlinkSession.Job job = flink.newestJob("replay-group-" + journey.index).orElseThrow();
      assertEquals("RUNNING", job.state());
      ClusterClient rest = ClusterClient.connect(io.searchmigrate.common.http.ClusterEndpoint.of(flink.webUrl()));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (rest.getJson("/jobs/" + job.id() + "/checkpoints").path("counts").path("completed").asLong() < 1) {
        assertTrue(System.nanoTime() < deadline, "the job completed a checkpoint");
        Thread.sleep(500);
      }
      SupervisedProcess victim = FlinkTaskManagers.holdingTaskOf(launcher, CLUSTER, flink, job.id());
      System.out.println("kill -9 " + victim.pid() + " (" + victim.name() + ")");
      ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();
      // the replay may have sent everything already (lag 0): wait for Flink to notice the loss and restart the tasks
      // (up to its heartbeat timeout) before asking whether the restarted job drains
      long restartDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (flink.restartedSubtasks(job.id()) < 1) {
        assertTrue(System.nanoTime() < restartDeadline, () -> "Flink restarted the job's tasks after the kill; it recorded "
            + "the failures " + flink.failures(job.id()) + "; numRestarts " + flink.restarts(job.id()));
        Thread.sleep(1000);
      }

      JsonNode drained = ReplayJourney.awaitStatus("flink-session-test", s -> s.path("lag").asLong(-1) == 0,
          Duration.ofMinutes(6));
      assertEquals(true, drained.get("running").asBoolean(), drained.toString());
      assertEquals(0, drained.get("dead_lettered").asLong(), drained.toString());
      assertTrue(flink.failures(job.id()).size() >= 1, "Flink recorded the lost TaskManager");
      assertTrue(rest.getJson("/jobs/" + job.id() + "/checkpoints").path("counts").path("restored").asLong() >= 1,
          "from its last checkpoint");
      journey.assertTargetEqualsSource();
    } finally {
      ConsoleRun stop = ConsoleRun.of("replay", "stop", "--name", "flink-session-test");
      assertEquals(0, stop.exitCode, stop::toString);
    }
    // the cancellation may still be going through the TaskManagers when stop returns
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    FlinkSession.Job ended = flink.newestJob("replay-group-" + journey.index).orElseThrow();
    while (!ended.isTerminal() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      ended = flink.newestJob("replay-group-" + journey.index).orElseThrow();
    }
    assertEquals("CANCELED", ended.state(), "replay stop cancels the job on the cluster");
  }

  /** Clients' traffic captured through the proxy into a topic of its own; the target index exists, empty. */
  private static ReplayJourney capture(String prefix, Path dir) throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    String index = prefix + "-" + Long.toString(System.nanoTime(), 36);
    ReplayJourney journey = new ReplayJourney(source, target, TestKafka.shared(), index, "capture-" + index, dir);
    journey.createSourceIndex();
    ClusterClient.connect(target.endpoint()).putJson("/" + index, Json.parse("{\"settings\":{\"number_of_replicas\":0}}"))
        .requireSuccess();
    String proxy = journey.startProxy(prefix);
    try {
      ReplayJourney.Workload workload = new ReplayJourney.Workload(proxy, index, false, false);
      workload.runToEnd(40);
      journey.sent = workload.sent();
    } finally {
      journey.stopProxy();
    }
    return journey;
  }
}
