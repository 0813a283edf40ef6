package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.testkit.Fixtures;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
 * status against real parts (Elasticsearch 7.10.2, OpenSearch 2.19.1, a Kafka broker, a capture proxy, a snapshot
 * repository, a replay group's offsets, real validation runs), then with one part unreachable or stopped at a time:
 * exactly that row fails.
 */
class StatusTest {
  private static final List<String> PARTS = List.of("source", "target", "snapshot", "kafka", "proxy", "flink", "replay",
      "validation");

  @TempDir
  Path dir;

  private final Set<Integer> ports = new HashSet<>();

  @Test
  void everyPartOnceUpThenEachDownInTurn() throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    String target = TestTargets.url();
    LocalKafka.Broker broker = TestKafka.shared();
    String topic = "status-" + Long.toString(System.nanoTime(), 36);
    String index = "status_" + Long.toString(System.nanoTime(), 36);
    Path repo = Fixtures.snapshot("ES_7_10_Single");
    for (String url : List.of(source.url(), target)) {
      ClusterClient client = ClusterClient.connect(ClusterEndpoint.of(url));
      client.putJson("/" + index + "/_doc/1?refresh=true", Json.parse("{\"n\":1}")).requireSuccess();
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
      Properties producer = new Properties();
      producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
      try (KafkaProducer<String, String> p = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 3; i++) {
          p.send(new ProducerRecord<>(topic, 0, "c" + i, "r" + i)).get();
        }
        p.send(new ProducerRecord<>(topic, 1, "c", "r")).get();
      }
      // the replay has answered two requests of partition 0 and none of partition 1: lag 1 + 1
      admin.alterConsumerGroupOffsets(MigrationParts.REPLAY_GROUP,
          Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2))).all().get();
    }
    Path reports = dir.resolve("reports");
    int listen = port();
    int adminPort = port();
    Files.writeString(dir.resolve("migration.yaml"), String.join("\n",
        "source:", "  endpoint: " + source.url(), "  version: ES 7.10.2",
        "target:", "  endpoint: " + target, "  version: OS 2.19",
        "snapshot:", "  repository: " + repo, "  name: global_state_snapshot",
        "kafka:", "  bootstrap: " + broker.bootstrap(), "  topic: " + topic,
        "proxy:", "  listen: 127.0.0.1:" + listen, "  admin: 127.0.0.1:" + adminPort,
        "reports_dir: " + reports, ""));

    // the configuration feeds validate (source, target, --history) and the proxy (listen, source, kafka, admin)
    ConsoleRun validate = run("validate", "clusters", "--indices", index);
    assertEquals(0, validate.exitCode, validate::toString);
    // its captures go to a topic of their own, so the capture topic keeps the records and lag written here
    ConsoleRun proxy = run("proxy", "start", "--name", "status-test", "--topic",
        topic + "-proxy");
    assertEquals(0, proxy.exitCode, proxy::toString);
    try {
      ClusterClient viaProxy = ClusterClient.connect(ClusterEndpoint.of("http://127.0.0.1:" + listen));
      assertEquals(200, viaProxy.get("/" + index + "/_doc/1").status());

      ConsoleRun up = run("status");
      assertEquals(0, up.exitCode, up::toString);
      List<String> lines = up.out.lines().toList();
      assertEquals("PART       STATE DETAILS", lines.get(0));
      assertEquals(List.of("source OK", "target OK", "snapshot OK", "kafka OK", "proxy OK", "flink SKIP", "replay OK",
          "validation OK"), states(up.out), up::toString);
      assertTrue(lines.get(1).startsWith("source     OK    " + source.url() + " Elasticsearch 7.10.2, health "), up::toString);
      assertTrue(up.out.contains("\nsnapshot   OK    " + repo + ": snapshot 'global_state_snapshot' is there (1 snapshot(s))\n"),
          up::toString);
      assertTrue(up.out.contains("\nkafka      OK    " + broker.bootstrap() + ": 1 broker(s), topic '" + topic
          + "' (4 record(s) written)\n"), up::toString);
      assertTrue(up.out.contains("\nproxy      OK    127.0.0.1:" + adminPort + ": serving, kafka up, 1 request(s), "), up::toString);
      assertTrue(up.out.contains(" 0 lost\n"), up::toString);
      assertTrue(up.out.contains("\nflink      SKIP  not configured (flink.master or --flink-master HOST:PORT)\n"), up::toString);
      assertTrue(up.out.contains("\nreplay     OK    group 'search-migrate-replay': lag 2 record(s) on '" + topic
          + "' (2 partition(s))\n"), up::toString);
      assertTrue(up.out.matches("(?s).*\nvalidation OK    last run \\S+: PASS, 1 compared; 1 run\\(s\\) in " + reports + "\n.*"),
          up::toString);
      assertTrue(up.out.endsWith("status: OK (7 part(s) checked)\n"), up::toString);

      JsonNode json = Json.parse(run("status", "--output", "json").out);
      assertTrue(json.path("ok").asBoolean(), json::toString);
      List<String> order = new ArrayList<>();
      json.path("parts").forEach(p -> order.add(p.path("part").asText()));
      assertEquals(PARTS, order);

      // one part down at a time (flags override the file): that row fails, every other stays as it was
      int closed = port();
      assertOnlyFails("source", "cannot reach http://127.0.0.1:" + closed, "--source", "http://127.0.0.1:" + closed);
      assertOnlyFails("target", "cannot reach http://127.0.0.1:" + closed, "--target", "http://127.0.0.1:" + closed);
      assertOnlyFails("snapshot", "snapshot 'nightly' not found in repository", "--snapshot", "nightly");
      assertOnlyFails("proxy", "no health answer", "--proxy-admin", "127.0.0.1:" + closed);
      assertOnlyFails("flink", "127.0.0.1:" + closed, "--flink-master", "127.0.0.1:" + closed);
      ConsoleRun kafkaDown = run("status", "--kafka", "127.0.0.1:" + closed);
      assertEquals(Migrate.RUN_FAILED, kafkaDown.exitCode, kafkaDown::toString);
      assertEquals(List.of("source OK", "target OK", "snapshot OK", "kafka FAIL", "proxy OK", "flink SKIP", "replay SKIP",
          "validation OK"), states(kafkaDown.out), "the lag cannot be read without Kafka: " + kafkaDown);
      assertTrue(kafkaDown.out.contains("→ start the broker (./migrate kafka start-local) or correct kafka.bootstrap"),
          kafkaDown::toString);
      ConsoleRun wrongVersion = run("status", "--config", write("other.yaml", "source:\n  endpoint: " + source.url()
          + "\n  version: ES 6.8\n").toString());
      assertEquals(List.of("source FAIL", "target SKIP", "snapshot SKIP", "kafka SKIP", "proxy SKIP", "flink SKIP",
          "replay SKIP", "validation SKIP"), states(wrongVersion.out), wrongVersion::toString);
      assertTrue(wrongVersion.out.contains("; expected Elasticsearch 6.8.0 (source.version)\n"), wrongVersion::toString);

      // the last validation failed: a document the source does not have
      ClusterClient.connect(ClusterEndpoint.of(target)).putJson("/" + index + "/_doc/extra?refresh=true", Json.parse("{\"n\":2}"))
          .requireSuccess();
      assertEquals(Migrate.RUN_FAILED, run("validate", "clusters", "--indices", index).exitCode);
      assertOnlyFails("validation", "FAIL, 2 compared (1 unexpected); 2 run(s) in " + reports);
      ClusterClient.connect(ClusterEndpoint.of(target)).delete("/" + index + "/_doc/extra?refresh=true").requireSuccess();
      assertEquals(0, run("validate", "clusters", "--indices", index).exitCode, "validation passes again");

      // a stopped proxy
      assertEquals(0, run("proxy", "stop", "--name", "status-test").exitCode);
      assertOnlyFails("proxy", "no health answer at http://127.0.0.1:" + adminPort + "/health");
    } finally {
      run("proxy", "stop", "--name", "status-test"); // when an assertion failed before the stop
      for (String url : List.of(source.url(), target)) {
        ClusterClient.connect(ClusterEndpoint.of(url)).delete("/" + index);
      }
    }
  }

  @Test
  void withNothingConfiguredEveryPartIsSkipped() {
    ConsoleRun none = ConsoleRun.in(Map.of(), dir, "status", "--history", dir.resolve("empty").toString());
    assertEquals(0, none.exitCode, none::toString);
    assertEquals(String.join("\n",
        "PART       STATE DETAILS",
        "source     SKIP  not configured (source.endpoint or --source URL)",
        "target     SKIP  not configured (target.endpoint or --target URL)",
        "snapshot   SKIP  not configured (snapshot.repository or --repo)",
        "kafka      SKIP  not configured (kafka.bootstrap or --kafka BOOTSTRAP)",
        none.out.lines().toList().get(5),
        "flink      SKIP  not configured (flink.master or --flink-master HOST:PORT)",
        "replay     SKIP  not configured (kafka.bootstrap and kafka.topic)",
        "validation SKIP  no validation recorded in " + dir.resolve("empty") + " yet (./migrate validate ... records its "
            + "verdict there)",
        "status: OK (0 part(s) checked)", ""), none.out);
  }

  /** status with these flags: exit 1, {@code part} fails saying {@code expected}, every other part as when all was up. */
  private void assertOnlyFails(String part, String expected, String... flags) {
    List<String> args = new ArrayList<>(List.of("status"));
    args.addAll(List.of(flags));
    ConsoleRun run = run(args.toArray(String[]::new));
    assertEquals(Migrate.RUN_FAILED, run.exitCode, run::toString);
    List<String> want = new ArrayList<>();
    for (String p : PARTS) {
      want.add(p + (p.equals(part) ? " FAIL" : p.equals("flink") ? " SKIP" : " OK"));
    }
    assertEquals(want, states(run.out), run::toString);
    String row = run.out.lines().filter(l -> l.startsWith(String.format("%-10s FAIL ", part))).findFirst().orElseThrow();
    assertTrue(row.contains(expected), row);
    assertTrue(run.out.contains(row + "\n" + " ".repeat(17) + "→ "), "what to do follows the failed row: " + run);
  }

  private ConsoleRun run(String... args) {
    return ConsoleRun.in(Map.of(), dir, args);
  }

  private Path write(String name, String text) throws java.io.IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  /** "part STATE" for each row of the table, in order. */
  private static List<String> states(String out) {
    return out.lines().skip(1).filter(l -> !l.startsWith(" ") && !l.startsWith("status:"))
        .map(l -> l.split(" +")[0] + " " + l.split(" +")[1]).toList();
  }

  private int port() {
    int port = LocalProcesses.freePort(ports);
    ports.add(port);
    return port;
  }
}
