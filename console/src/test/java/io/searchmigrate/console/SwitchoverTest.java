package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.capture.CaptureTopicReader;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.LocalProxies;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cut-over on real clusters: Elasticsearch 7.10.2 (source) and OpenSearch 2.19.1 (target) behind the capture proxy
 * the console starts, clients writing continuously over keep-alive connections while {@code proxy switch --to target}
 * and then {@code --to source} run. Every write is answered, lands on exactly one cluster, on the one the proxy's mode
 * named when it arrived; no client connection is closed; only the writes sent to the source are captured.
 */
class SwitchoverTest {
  private static final int WRITERS = 3;

  private final Set<Integer> ports = new HashSet<>();

  /** One answered write: its id, the writer's connection, and when it was sent and answered (System.nanoTime). */
  private record Write(String id, int writer, long sent, long answered) {}

  @Test
  void clientsKeepWritingThroughSwitchAndRollback() throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    String target = TestTargets.url();
    LocalKafka.Broker broker = TestKafka.shared();
    String index = "switchover_" + Long.toString(System.nanoTime(), 36);
    String topic = "switchover-" + Long.toString(System.nanoTime(), 36);
    int listen = port();
    String admin = "127.0.0.1:" + port();
    for (String url : List.of(source.url(), target)) {
      ClusterClient.connect(ClusterEndpoint.of(url)).putJson("/" + index, Json.parse("{\"settings\":{\"number_of_shards\":1,"
          + "\"number_of_replicas\":0}}")).requireSuccess();
    }
    ConsoleRun start = ConsoleRun.of("proxy", "start", "--name", "switchover-test", "--listen", "127.0.0.1:" + listen,
        "--admin", admin, "--source", source.url(), "--target", target, "--kafka", broker.bootstrap(), "--topic", topic);
    assertEquals(0, start.exitCode, start::toString);
    List<Write> writes = new CopyOnWriteArrayList<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> writers = new ArrayList<>();
    long switchStarted;
    long switchEnded;
    long rollbackStarted;
    long rollbackEnded;
    try {
      ConsoleRun before = ConsoleRun.of("proxy", "status", "--name", "switchover-test");
      assertTrue(before.out.contains("mode: source (capturing); switchover target " + target), before::toString);
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        Thread t = new Thread(() -> write(listen, index, writer, writes, failures, stop), "writer-" + w);
        writers.add(t);
        t.start();
      }
      awaitWrites(writes, failures, 0, 20);

      switchStarted = System.nanoTime();
      ConsoleRun toTarget = ConsoleRun.of("proxy", "switch", "--name", "switchover-test", "--to", "target", "--force");
      switchEnded = System.nanoTime();
      assertEquals(0, toTarget.exitCode, toTarget::toString);
      assertTrue(toTarget.err.contains("--force: switching to the target although:\n  - replay lag unknown: not configured "
          + "(kafka.bootstrap and kafka.topic)"), toTarget::toString);
      assertTrue(toTarget.out.startsWith("switched: requests arriving at the proxy go to the target " + target
          + " and are not captured; every request sent to the source was answered\n"), toTarget::toString);
      ConsoleRun onTarget = ConsoleRun.of("proxy", "status", "--name", "switchover-test");
      assertTrue(onTarget.out.contains("mode: target (switched over): requests go to " + target + ", not captured; "), onTarget::toString);
      awaitWrites(writes, failures, switchEnded, 20);

      rollbackStarted = System.nanoTime();
      ConsoleRun toSource = ConsoleRun.of("proxy", "switch", "--name", "switchover-test", "--to", "source");
      rollbackEnded = System.nanoTime();
      assertEquals(0, toSource.exitCode, toSource::toString);
      assertTrue(toSource.out.startsWith("rolled back: requests arriving at the proxy go to the source and are captured again; "
          + "every request sent to the target was answered\n"), toSource::toString);
      assertTrue(toSource.out.contains("write request(s) went to the target while switched over"), toSource::toString);
      awaitWrites(writes, failures, rollbackEnded, 20);
      stop.set(true);
      for (Thread t : writers) {
        t.join(60_000);
      }
      assertEquals(List.of(), List.copyOf(failures), "every request answered 201 on its own keep-alive connection");

      Map<String, Long> metrics = metrics(admin);
      assertEquals(WRITERS, metrics.get("connections_opened_total"), "no client had to reconnect: " + metrics);
      Set<String> onSource = ids(source.url(), index);
      Set<String> onTargetIds = ids(target, index);
      Set<String> all = writes.stream().map(Write::id).collect(Collectors.toCollection(TreeSet::new));
      assertEquals(writes.size(), all.size());
      Set<String> both = new TreeSet<>(onSource);
      both.retainAll(onTargetIds);
      assertEquals(Set.of(), both, "no write reached both clusters");
      Set<String> union = new TreeSet<>(onSource);
      union.addAll(onTargetIds);
      assertEquals(all, union, "every answered write is on one of the clusters, and nothing else is");
      assertEquals(onTargetIds.size(), metrics.get("requests_to_target_total"), "the proxy routed exactly these to the target");

      // the mode at each write's arrival: before the switch began -> source; between the switch and the rollback -> target;
      // after the rollback -> source. Writes in flight while a switch ran may be on either, but a connection never goes back
      for (Write w : writes) {
        if (w.answered() < switchStarted || w.sent() > rollbackEnded) {
          assertTrue(onSource.contains(w.id()), w + " should have gone to the source");
        } else if (w.sent() > switchEnded && w.answered() < rollbackStarted) {
          assertTrue(onTargetIds.contains(w.id()), w + " should have gone to the target");
        }
      }
      for (int writer = 0; writer < WRITERS; writer++) {
        int wr = writer;
        String route = writes.stream().filter(w -> w.writer() == wr).sorted((a, b) -> Long.compare(a.sent(), b.sent()))
            .map(w -> onSource.contains(w.id()) ? "S" : "T").collect(Collectors.joining());
        assertTrue(route.matches("S+T+S+"), "writer " + writer + " went source, target, source once each: " + route);
      }
    } finally {
      stop.set(true);
      ConsoleRun stopped = ConsoleRun.of("proxy", "stop", "--name", "switchover-test");
      assertEquals(0, stopped.exitCode, stopped::toString);
    }

    // only the writes sent to the source were captured; those sent to the target are marked, without their bytes
    CaptureAssembler assembler = new CaptureAssembler();
    CaptureTopicReader.read(broker.bootstrap(), topic, Map.of(), Duration.ofSeconds(60)).records().forEach(assembler::add);
    Set<String> captured = new TreeSet<>();
    Set<String> skipped = new TreeSet<>();
    for (CaptureAssembler.Connection c : assembler.connections()) {
      c.exchanges().forEach(x -> captured.add(x.target().substring(x.target().lastIndexOf('/') + 1)));
      for (CaptureRecord.RequestSkipped x : c.skipped()) {
        assertEquals(CaptureFormat.SKIPPED_SENT_TO_TARGET, x.reason());
        skipped.add(x.target().substring(x.target().lastIndexOf('/') + 1));
      }
    }
    assertEquals(ids(source.url(), index), captured, "the capture holds exactly the writes the source applied");
    assertEquals(ids(target, index), skipped, "the writes sent to the target are marked skipped, not captured");
    for (String url : List.of(source.url(), target)) {
      ClusterClient.connect(ClusterEndpoint.of(url)).delete("/" + index);
    }
  }

  /**
   * The switch to the target waits for the replay (lag 0 in its group on the capture topic) and a passing validation:
   * each unmet condition is named, nothing changes, and --force switches anyway. Rollback is never refused. A switch
   * without the proxy's token is refused, even from loopback.
   */
  @Test
  void switchToTargetOnlyWhenCaughtUpAndValidated(@TempDir Path dir) throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    String target = TestTargets.url();
    LocalKafka.Broker broker = TestKafka.shared();
    String topic = "switch-gate-" + Long.toString(System.nanoTime(), 36);
    Path history = dir.resolve("reports");
    Files.createDirectories(history);
    String admin = "127.0.0.1:" + port();
    try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
      kafka.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      produce(broker, topic, 3);
      // the proxy captures into a topic of its own, so the gate's topic holds exactly the records written here
      ConsoleRun start = ConsoleRun.of("proxy", "start", "--name", "switch-gate", "--listen", "127.0.0.1:" + port(), "--admin", admin,
          "--source", source.url(), "--target", target, "--kafka", broker.bootstrap(), "--topic", topic + "-proxy");
      assertEquals(0, start.exitCode, start::toString);
      try {
        String[] gate = {"--kafka", broker.bootstrap(), "--topic", topic, "--history", history.toString()};
        // neither the replay nor a validation has run
        ConsoleRun unknown = switchTo("target", gate);
        assertEquals(Migrate.RUN_FAILED, unknown.exitCode, unknown::toString);
        assertEquals("not switching to the target; not satisfied:\n"
            + "  - replay lag unknown: group 'search-migrate-replay' has no offsets on '" + topic + "' yet (the replay has not run)\n"
            + "  - no validation verdict: no validation recorded in " + history + " yet (./migrate validate ... records its verdict "
            + "there) (run ./migrate validate clusters --history DIR)\n"
            + "Bring the replay to lag 0 and validate (./migrate status shows both), or pass --force to switch anyway.\n",
            unknown.err);
        assertMode(admin, "source");

        // the replay answered 1 of 3 records; the last validation failed
        kafka.alterConsumerGroupOffsets(MigrationParts.REPLAY_GROUP, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)))
            .all().get();
        Files.writeString(history.resolve("history.ndjson"), "{\"time\":\"2026-01-01T00:00:00Z\",\"verdict\":\"PASS\",\"compared\":2}\n"
            + "{\"time\":\"2026-01-02T00:00:00Z\",\"verdict\":\"FAIL\",\"compared\":2,\"missing\":1}\n");
        ConsoleRun behind = switchTo("target", gate);
        assertEquals(Migrate.RUN_FAILED, behind.exitCode, behind::toString);
        assertTrue(behind.err.startsWith("not switching to the target; not satisfied:\n"
            + "  - replay lag is 2 record(s), not 0: the target lacks captured requests; let the replay catch up\n"
            + "  - the last validation did not pass: last run 2026-01-02T00:00:00Z: FAIL, 2 compared (1 missing); 2 run(s) in "
            + history + "\n"), behind::toString);
        assertMode(admin, "source");

        // lag 0 but the validation still failed: one condition named
        kafka.alterConsumerGroupOffsets(MigrationParts.REPLAY_GROUP, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(3)))
            .all().get();
        ConsoleRun failed = switchTo("target", gate);
        assertEquals(Migrate.RUN_FAILED, failed.exitCode, failed::toString);
        assertTrue(failed.err.startsWith("not switching to the target; not satisfied:\n  - the last validation did not pass: "),
            failed::toString);
        assertEquals(3, failed.err.lines().count(), "only the validation is named: " + failed.err);
        assertMode(admin, "source");

        // caught up and validated: switches without --force
        Files.writeString(history.resolve("history.ndjson"), "{\"time\":\"2026-01-03T00:00:00Z\",\"verdict\":\"PASS\",\"compared\":2}\n",
            StandardOpenOption.APPEND);
        ConsoleRun ready = switchTo("target", gate);
        assertEquals(0, ready.exitCode, ready::toString);
        assertEquals("", ready.err, ready::toString);
        assertMode(admin, "target");
        ConsoleRun again = switchTo("target", gate);
        assertEquals(0, again.exitCode, again::toString);
        assertEquals("the proxy at " + admin + " sends requests to the target already (" + target + ")\n", again.out);

        // rollback is never refused, whatever the lag
        produce(broker, topic, 2);
        ConsoleRun rollback = switchTo("source", gate);
        assertEquals(0, rollback.exitCode, rollback::toString);
        assertMode(admin, "source");

        // --force: switches although the replay lags, and says so
        ConsoleRun forced = switchTo("target", "--kafka", broker.bootstrap(), "--topic", topic, "--history", history.toString(),
            "--force");
        assertEquals(0, forced.exitCode, forced::toString);
        assertTrue(forced.err.startsWith("--force: switching to the target although:\n  - replay lag is 2 record(s), not 0"),
            forced::toString);
        assertMode(admin, "target");

        // the admin port takes a switch only with the proxy's token (the console reads it from the proxy's folder)
        ClusterResponse anonymous = ClusterClient.connect(ClusterEndpoint.of("http://" + admin))
            .send("POST", "/mode?to=source", null, null, Duration.ofSeconds(10));
        assertEquals(403, anonymous.status(), anonymous.bodyText());
        Path wrong = dir.resolve("wrong.token");
        Files.writeString(wrong, "not-the-token\n");
        ConsoleRun refused = switchTo("source", "--switch-token", "file:" + wrong);
        assertEquals(Migrate.USER_ERROR, refused.exitCode, refused::toString);
        assertTrue(refused.err.contains("the proxy refused the switch: a switch needs this proxy's switch token"), refused::toString);
        assertMode(admin, "target");

        // a proxy restarted after the switch comes back on the target
        assertEquals(0, ConsoleRun.of("proxy", "stop", "--name", "switch-gate").exitCode);
        ConsoleRun restart = ConsoleRun.of("proxy", "start", "--name", "switch-gate", "--listen", "127.0.0.1:" + port(), "--admin",
            admin, "--source", source.url(), "--target", target, "--kafka", broker.bootstrap(), "--topic", topic + "-proxy");
        assertEquals(0, restart.exitCode, restart::toString);
        assertTrue(restart.err.contains("note: proxy 'switch-gate' was last switched to the target, so it starts there"), restart::toString);
        assertMode(admin, "target");
        assertEquals(0, switchTo("source").exitCode);
        assertMode(admin, "source");
      } finally {
        ConsoleRun.of("proxy", "stop", "--name", "switch-gate");
        kafka.deleteTopics(List.of(topic, topic + "-proxy"));
      }
    }
  }

  private static ConsoleRun switchTo(String to, String... more) {
    List<String> args = new ArrayList<>(List.of("proxy", "switch", "--name", "switch-gate", "--to", to));
    args.addAll(List.of(more));
    return ConsoleRun.of(args.toArray(String[]::new));
  }

  private static void assertMode(String admin, String mode) {
    String health = LocalProxies.adminGet(admin, "/health");
    assertTrue(health.contains("\"mode\":\"" + mode + "\""), health);
  }

  private static void produce(LocalKafka.Broker broker, String topic, int records) throws Exception {
    Properties producer = new Properties();
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
    try (KafkaProducer<String, String> p = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < records; i++) {
        p.send(new ProducerRecord<>(topic, 0, "c" + i, "r" + i)).get();
      }
    }
  }

  /** Writes documents one after the other on one keep-alive connection until told to stop; any failure is recorded. */
  private static void write(int port, String index, int writer, List<Write> writes, ConcurrentLinkedQueue<String> failures,
      AtomicBoolean stop) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int n = 0; !stop.get(); n++) {
        String id = writer + "-" + n;
        byte[] body = ("{\"writer\":" + writer + ",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
        String head = "PUT /" + index + "/_doc/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n";
        long sent = System.nanoTime();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        int status = readResponse(in);
        if (status != 201) {
          failures.add(id + " answered " + status);
          return;
        }
        writes.add(new Write(id, writer, sent, System.nanoTime()));
      }
    } catch (IOException e) {
      failures.add("writer " + writer + ": " + e);
    }
  }

  /** Reads one response (Content-Length framed, as Elasticsearch and OpenSearch send them); returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed before a response; head so far: " + head);
      }
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        break;
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(text.substring(9, 12));
  }

  /** Waits until each writer has had {@code count} writes sent after {@code since}. */
  private static void awaitWrites(List<Write> writes, ConcurrentLinkedQueue<String> failures, long since, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline && failures.isEmpty()) {
      Map<Integer, Long> perWriter = writes.stream().filter(w -> w.sent() > since)
          .collect(Collectors.groupingBy(Write::writer, Collectors.counting()));
      if (perWriter.size() == WRITERS && Collections.min(perWriter.values()) >= count) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the writers did not get " + count + " writes each through the proxy: " + failures);
  }

  private static Set<String> ids(String url, String index) {
    ClusterClient client = ClusterClient.connect(ClusterEndpoint.of(url));
    client.send("POST", "/" + index + "/_refresh", null, null, Duration.ofSeconds(30)).requireSuccess();
    JsonNode hits = client.getJson("/" + index + "/_search?size=10000&_source=false&track_total_hits=true");
    assertTrue(hits.path("hits").path("total").path("value").asLong() < 10_000, "fewer documents than one page holds");
    Set<String> ids = new TreeSet<>();
    hits.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
    return ids;
  }

  private static Map<String, Long> metrics(String admin) {
    return LocalProxies.adminGet(admin, "/metrics").lines()
        .filter(l -> l.startsWith("searchmigrate_proxy_") && !l.contains("{") && l.split(" ").length == 2)
        .collect(Collectors.toMap(l -> l.split(" ")[0].substring("searchmigrate_proxy_".length()),
            l -> (long) Double.parseDouble(l.split(" ")[1])));
  }

  private int port() {
    int port = LocalProcesses.freePort(ports);
    ports.add(port);
    return port;
  }
}
