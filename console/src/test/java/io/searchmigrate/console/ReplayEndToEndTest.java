package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live-migration journey on real parts: a real Elasticsearch source behind the capture proxy with a real Kafka
 * broker, clients writing over many connections while a snapshot is taken, the snapshot backfilled into a real
 * OpenSearch 2.19.1, then the capture replayed until drained: the target holds exactly the source's documents.
 */
class ReplayEndToEndTest {

  @ParameterizedTest
  @ValueSource(strings = {"6.8.23", "7.10.2"})
  void captureSnapshotBackfillAndReplayUntilDrainedLeaveTheTargetEqualToTheSource(String version, @TempDir Path dir)
      throws Exception {
    LocalCluster source = TestClusters.elasticsearch(version);
    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    LocalKafka.Broker kafka = TestKafka.shared();
    String index = "replay-" + version.charAt(0) + "-" + Long.toString(System.nanoTime(), 36);
    String topic = "capture-" + index;
    ReplayJourney journey = new ReplayJourney(source, target, kafka, index, topic, dir);
    journey.createSourceIndex();
    String proxy = journey.startProxy("replay-e2e-" + version.charAt(0));
    try {
      ReplayJourney.Workload workload = new ReplayJourney.Workload(proxy, index, journey.typed(), true);
      ExecutorService clients = Executors.newFixedThreadPool(ReplayJourney.CONNECTIONS);
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < ReplayJourney.CONNECTIONS; c++) {
        int connection = c;
        running.add(clients.submit(() -> workload.run(connection, 20)));
      }
      workload.awaitStarted(ReplayJourney.CONNECTIONS * ReplayJourney.DOCS_PER_CONNECTION / 3); // and it goes on while the snapshot is taken
      Path repository = source.pathRepo().resolve("replay-" + UUID.randomUUID());
      ConsoleRun snapshot = ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo-path", repository.toString(),
          "--snapshot", "mid-workload", "--indices", index, "--wait");
      assertEquals(0, snapshot.exitCode, snapshot::toString);
      workload.snapshotTaken();
      for (Future<?> f : running) {
        f.get();
      }
      clients.shutdown();

      ConsoleRun backfill = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", "mid-workload",
          "--target", target.url(), "--indices", index);
      assertEquals(0, backfill.exitCode, backfill::toString);
      journey.stopProxy();
      journey.poisonRecord();

      Path tuples = dir.resolve("tuples");
      // the DirectRunner, named: the default (Flink's mini-cluster) is what ReplayOnFlinkTest runs
      ConsoleRun replay = ConsoleRun.of("replay", "run", "--runner", "direct", "--kafka", kafka.bootstrap(), "--topic", topic, "--group",
          "group-" + index, "--target", target.url(), "--source", source.url(), "--tuples", tuples.toString(),
          "--speedup", "max", "--until-drained", "--progress-every", "2", "--noise-sample", "1");
      assertEquals(0, replay.exitCode, replay::toString);
      assertTrue(replay.out.contains("drained: every captured request was answered and committed"), replay::toString);
      assertTrue(replay.out.contains("dead-lettered       1 ("), "the poison record, reported: " + replay.out);

      journey.assertTargetEqualsSource();
      assertEquals("keyword", ClusterClient.connect(target.endpoint()).getJson("/_template/" + index + "-tpl")
          .at("/" + index + "-tpl/mappings/properties/e/type").asText(), "the template made during the capture, typeless");
      // the replay's own tuples, compared: every write answered as on the source, or as one the backfilled snapshot
      // already held. Only searches may differ: they ran on the source before a refresh, on the target after the
      // backfill, which holds the documents' later state. Two answers of the target to a read agree, except to a
      // search that another connection's write reached between them (connections replay concurrently): noise, if
      // any, is in searches' hits only
      ConsoleRun compared = ConsoleRun.of("validate", "tuples", "--in", tuples.toString(), "--output", "json",
          "--max-differences", "1000");
      JsonNode report = Json.parse(compared.out);
      assertEquals(workload.sent(), report.path("tuples").asInt(), "every tuple compared, the dead letter not among them");
      assertEquals(0, report.at("/totals/status").asInt(), compared::toString);
      assertEquals(0, report.at("/totals/write-result").asInt(), compared::toString);
      assertTrue(report.at("/totals/already-applied").asInt() > 0, "writes from before the snapshot: " + compared);
      report.path("noise").fields().forEachRemaining(noise -> {
        assertTrue(noise.getKey().endsWith("/_search"), compared::toString);
        noise.getValue().forEach(path -> assertTrue(path.asText().startsWith("hits."), compared::toString));
      });
      for (JsonNode difference : report.path("differences")) {
        String category = difference.path("category").asText();
        assertTrue(category.equals("already-applied") || difference.path("request").asText().endsWith("/_search"),
            difference::toString);
      }
      List<JsonNode> lines = ReplayJourney.readLines(tuples, "tuples");
      assertEquals(workload.sent(), lines.size(), "a tuple for every captured request");
      assertTrue(lines.stream().filter(t -> t.at("/source_request/path").asText().contains("/_search"))
          .allMatch(t -> t.has("target_response_repeat")), "every search asked twice (--noise-sample 1)");
      assertEquals(workload.sent(), lines.stream().map(t -> t.get("connection").asText() + "/" + t.get("request_index"))
          .distinct().count(), "each once");
      List<JsonNode> dead = ReplayJourney.readLines(tuples.resolve("dead-letters"), "dead-letters");
      assertEquals(1, dead.size());
      assertTrue(dead.get(0).get("reason").asText().startsWith("not a capture record"), dead.toString());
      if (version.startsWith("6.")) {
        assertTrue(lines.stream().anyMatch(t -> t.at("/source_request/path").asText().contains("/doc/")
            && t.at("/target_request/path").asText().contains("/_doc/")), "typed URLs were rewritten");
      }
    } finally {
      journey.stopProxy();
    }
  }

  /**
   * Requests keep their order across connections too, with captured timing and as fast as order allows, even when the
   * replay starts on a backlog and reaches the topic's partitions one after another: one client after another, each on
   * a connection of its own, creates an index with a keyword field, writes a document, adds a keyword field and writes
   * again, then writes the first document anew. Sent out of order, or before the target answered the one before, the
   * target would create the index from the first document (text fields), refuse the second, or keep the first
   * document's older version. And a client posts a document without id the way curl does (after a {@code 100
   * Continue}): the target holds it under the id the source gave.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1", "max"})
  void requestsOfDifferentConnectionsKeepTheirOrder(String speedup, @TempDir Path dir) throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    String prefix = "order-" + speedup + "-" + Long.toString(System.nanoTime(), 36);
    String topic = "capture-" + prefix;
    ReplayJourney journey = new ReplayJourney(source, target, TestKafka.shared(), prefix + "-0", topic, dir);
    String proxy = journey.startProxy("replay-order");
    String continuedId;
    try {
      for (int n = 0; n < 3; n++) {
        String index = "/" + prefix + "-" + n;
        sendAlone(proxy, "PUT", index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
            + "\"mappings\":{\"properties\":{\"k\":{\"type\":\"keyword\"}}}}");
        sendAlone(proxy, "PUT", index + "/_doc/1", "{\"k\":\"a\"}");
        sendAlone(proxy, "PUT", index + "/_mapping", "{\"properties\":{\"added\":{\"type\":\"keyword\"}}}");
        sendAlone(proxy, "PUT", index + "/_doc/2", "{\"k\":\"b\",\"added\":\"yes\"}");
        sendAlone(proxy, "PUT", index + "/_doc/1", "{\"k\":\"last\"}"); // the later write of one document wins
      }
      continuedId = postExpectingContinue(proxy, "/" + prefix + "-0/_doc", "{\"k\":\"c\",\"pad\":\"" + "x".repeat(2_000) + "\"}");
    } finally {
      journey.stopProxy();
    }
    // on the default runner (Flink's mini-cluster); the DirectRunner reads a topic in bursts seconds apart (README)
    ConsoleRun replay = ConsoleRun.of("replay", "run", "--kafka", journey.kafka.bootstrap(), "--topic",
        topic, "--group", "group-" + prefix, "--target", target.url(), "--source", source.url(), "--tuples",
        dir.resolve("tuples").toString(), "--speedup", speedup, "--until-drained");
    assertEquals(0, replay.exitCode, replay::toString);
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    for (int n = 0; n < 3; n++) {
      String index = prefix + "-" + n;
      JsonNode properties = targetClient.getJson("/" + index + "/_mapping").at("/" + index + "/mappings/properties");
      assertEquals("keyword", properties.at("/k/type").asText(), index + ": " + properties);
      assertEquals("keyword", properties.at("/added/type").asText(), index + ": " + properties);
      targetClient.postJson("/" + index + "/_refresh", null);
      assertEquals(n == 0 ? 3 : 2, targetClient.getJson("/" + index + "/_count").path("count").asInt(), index);
      assertEquals("last", targetClient.getJson("/" + index + "/_doc/1").at("/_source/k").asText(), index);
    }
    assertEquals("c", targetClient.getJson("/" + prefix + "-0/_doc/" + continuedId).at("/_source/k").asText(),
        "a document posted after a 100 Continue has the id the source gave");
  }

  /**
   * A POST without id sent as curl and PHP's clients send bodies over 1 KB: the head with {@code Expect: 100-continue},
   * the body only after the source's interim {@code 100 Continue}. Returns the id the source gave.
   */
  private static String postExpectingContinue(String proxy, String path, String body) throws IOException {
    URI uri = URI.create(proxy);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + bytes.length + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String interim = responseHead(in);
      assertTrue(interim.startsWith("HTTP/1.1 100"), interim);
      out.write(bytes);
      out.flush();
      String head = responseHead(in);
      assertTrue(head.startsWith("HTTP/1.1 201"), head);
      int length = Integer.parseInt(head.replaceAll("(?is).*content-length:\\s*(\\d+).*", "$1"));
      return Json.parse(in.readNBytes(length)).path("_id").asText();
    }
  }

  private static String responseHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the answer ended in its head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** One request on a connection of its own, answered before the next is sent. */
  private static void sendAlone(String proxy, String method, String path, String body) {
    ClusterClient.connect(ClusterEndpoint.of(proxy)).send(method, path, body.getBytes(StandardCharsets.UTF_8), ClusterClient.JSON,
        Duration.ofSeconds(30)).requireSuccess();
  }

  /**
   * {@code replay start}, {@code status} and {@code stop} as a team runs them: a replay stopped in the middle and
   * started again misses nothing, and its status says where it stands.
   */
  @Test
  void aBackgroundReplayStoppedMidwayAndStartedAgainConverges(@TempDir Path dir) throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    LocalKafka.Broker kafka = TestKafka.shared();
    String index = "replay-bg-" + Long.toString(System.nanoTime(), 36);
    String topic = "capture-" + index;
    ReplayJourney journey = new ReplayJourney(source, target, kafka, index, topic, dir);
    journey.createSourceIndex();
    ClusterClient.connect(target.endpoint()).putJson("/" + index, Json.parse("{\"settings\":{\"number_of_replicas\":0}}"))
        .requireSuccess();
    String proxy = journey.startProxy("replay-bg");
    ReplayJourney.Workload workload = new ReplayJourney.Workload(proxy, index, false, false);
    try {
      workload.runToEnd(40);
    } finally {
      journey.stopProxy();
    }
    String[] start = {"replay", "start", "--name", "bg-test", "--runner", "direct", "--kafka", kafka.bootstrap(), "--topic", topic, "--group",
        "group-" + index, "--target", target.url(), "--source-version", "7.10.2", "--tuples", dir.resolve("tuples").toString(),
        "--speedup", "0.5"}; // twice the captured gaps: slow enough to stop in the middle
    ConsoleRun first = ConsoleRun.of(start);
    assertEquals(0, first.exitCode, first::toString);
    try {
      awaitStatus(s -> s.path("replayed").asLong() >= 20, Duration.ofSeconds(120));
    } finally {
      ConsoleRun stop = ConsoleRun.of("replay", "stop", "--name", "bg-test");
      assertEquals(0, stop.exitCode, stop::toString);
    }
    JsonNode stopped = status();
    assertEquals(false, stopped.get("running").asBoolean(), stopped.toString());
    assertTrue(stopped.get("lag").asLong() > 0, "stopped midway (captured timing kept): " + stopped);

    start[start.length - 1] = "max";
    ConsoleRun second = ConsoleRun.of(start);
    assertEquals(0, second.exitCode, second::toString);
    try {
      JsonNode drained = awaitStatus(s -> s.path("lag").asLong(-1) == 0, Duration.ofSeconds(180));
      assertEquals(true, drained.get("running").asBoolean());
      assertEquals(0, drained.get("dead_lettered").asLong(), drained.toString());
    } finally {
      assertEquals(0, ConsoleRun.of("replay", "stop", "--name", "bg-test").exitCode);
    }
    journey.assertTargetEqualsSource();
  }

  private static JsonNode status() {
    return ReplayJourney.status("bg-test");
  }

  private static JsonNode awaitStatus(java.util.function.Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
    return ReplayJourney.awaitStatus("bg-test", condition, timeout);
  }
}
