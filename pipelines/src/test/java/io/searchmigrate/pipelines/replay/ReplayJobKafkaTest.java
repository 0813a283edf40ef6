package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay job on a real Kafka broker's capture topic: replays into the target, writes tuples and dead letters,
 * commits the group's offsets once requests were answered, and resumes from them after a stop.
 */
class ReplayJobKafkaTest {
  /** REQUEST_BYTES, REQUEST_END, RESPONSE_BYTES, RESPONSE_END: one record each (ReplayPipelineTestRecords). */
  private static final int RECORDS_PER_REQUEST = 4;
  private static final String TARGET_ROOT = "{\"version\":{\"number\":\"2.19.1\",\"distribution\":\"opensearch\"}}";

  @Test
  void capturedRequestsOnTheTopicReachTheTargetWithTuplesAndThePoisonRecordIsDeadLetteredAndCommitted(@TempDir Path dir)
      throws Exception {
    LocalKafka.Broker kafka = TestKafka.shared();
    String topic = "replay-job-" + System.nanoTime();
    String tuplesTopic = topic + "-tuples";
    TestTopics.create(kafka, topic, 2);
    TestTopics.create(kafka, tuplesTopic, 2);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(new ProducerRecord<>(topic, "x".getBytes(), "poison".getBytes()));
    records.addAll(ReplayPipelineTestRecords.onTopic(topic, 2));
    TestTopics.write(kafka, records);
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, request) -> request.pathAndQuery().equals("/")
        ? ScriptedHttpServer.Reply.json(200, TARGET_ROOT)
        : ScriptedHttpServer.Reply.json(201, "{\"result\":\"created\"}"))) {
      PipelineResult running = new ReplayJob(options(kafka, topic, target, dir, "--tuplesTopic=" + tuplesTopic)).start();
      int expected = 2 * ReplayPipelineTestRecords.REQUESTS_PER_CONNECTION;
      try {
        await(() -> lag(kafka, topic, "replay-test") == 0, Duration.ofSeconds(120));
        Thread.sleep(1000); // the bundle that sent them flushes its tuple lines
      } finally {
        running.cancel();
      }
      assertEquals(expected, puts(target).size());
      assertEquals(expected, lines(dir.resolve("tuples"), "tuples"));
      assertEquals(1, lines(dir.resolve("tuples").resolve("dead-letters"), "dead-letters"));

      List<ConsumerRecord<String, String>> tuples = readAll(kafka, tuplesTopic, expected);
      assertEquals(expected, tuples.size(), "one tuple record per replayed request");
      Set<String> requests = new TreeSet<>();
      for (ConsumerRecord<String, String> record : tuples) {
        JsonNode tuple = Json.parse(record.value());
        assertEquals(record.key(), tuple.path("connection").asText(), "keyed by connection id");
        assertEquals(List.of("connection", "request_index", "timestamp", "source_request", "source_response",
            "target_request", "target_response", "status_match", "rewrites"), fieldNames(tuple), record.value());
        assertFalse(record.value().contains("c2VjcmV0"), "the captured Authorization is redacted: " + record.value());
        requests.add(record.key() + "#" + tuple.path("request_index").asInt());
      }
      assertEquals(Set.of("n.0#0", "n.0#1", "n.0#2", "n.0#3", "n.1#0", "n.1#1", "n.1#2", "n.1#3"), requests);
    }
  }

  /** What the topic holds, read until {@code expected} records came and then a few seconds more (for extra ones). */
  private static List<ConsumerRecord<String, String>> readAll(LocalKafka.Broker kafka, String topic, int expected) {
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.GROUP_ID_CONFIG, "tuples-reader-" + System.nanoTime(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        consumer.poll(Duration.ofMillis(500)).forEach(all::add);
        if (all.size() >= expected && quietUntil == Long.MAX_VALUE) {
          quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        }
      }
    }
    return all;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * A replay stopped midway and started again resumes from the committed offsets: every request reaches the target,
   * and only what was in flight at the stop is sent twice.
   */
  @Test
  void aReplayStoppedMidwayResumesWhereItsAnsweredRequestsEndedAndMissesNothing(@TempDir Path dir) throws Exception {
    LocalKafka.Broker kafka = TestKafka.shared();
    String topic = "replay-restart-" + System.nanoTime();
    int connections = 12;
    TestTopics.create(kafka, topic, 3);
    TestTopics.write(kafka, ReplayPipelineTestRecords.onTopic(topic, connections));
    int expected = connections * ReplayPipelineTestRecords.REQUESTS_PER_CONNECTION;
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, request) -> {
      if (request.pathAndQuery().equals("/")) {
        return ScriptedHttpServer.Reply.json(200, TARGET_ROOT);
      }
      try {
        Thread.sleep(150); // slow enough to stop the replay in the middle
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ScriptedHttpServer.Reply.json(201, "{\"result\":\"created\"}");
    })) {
      PipelineResult first = new ReplayJob(options(kafka, topic, target, dir)).start();
      try {
        await(() -> puts(target).size() >= expected / 3, Duration.ofSeconds(120));
        Thread.sleep(1500); // a commit happens
      } finally {
        first.cancel();
      }
      int sentByFirst = puts(target).size();
      long lagAfterStop = lag(kafka, topic, "replay-test");
      assertTrue(sentByFirst < expected && lagAfterStop > 0, "stopped midway: " + sentByFirst + " sent, lag " + lagAfterStop);

      PipelineResult second = new ReplayJob(options(kafka, topic, target, dir)).start();
      try {
        await(() -> lag(kafka, topic, "replay-test") == 0, Duration.ofSeconds(180));
      } finally {
        second.cancel();
      }
      List<String> all = puts(target);
      Set<String> distinct = new TreeSet<>(all);
      Set<String> wanted = new TreeSet<>();
      for (int c = 0; c < connections; c++) {
        for (int j = 0; j < ReplayPipelineTestRecords.REQUESTS_PER_CONNECTION; j++) {
          wanted.add("/i/_doc/" + c + "-" + j);
        }
      }
      assertEquals(wanted, distinct, "nothing missed");
      int twice = all.size() - distinct.size();
      // a request is sent again only if its records were not committed at the stop: 4 records each here
      assertTrue(twice * RECORDS_PER_REQUEST <= lagAfterStop, "only requests in the uncommitted records are sent again: "
          + twice + " twice, " + lagAfterStop + " records uncommitted at the stop");
    }
  }

  /**
   * On Flink's mini-cluster the replay is a detached streaming job that checkpoints: it replays every request, commits
   * once answered, and its counters are read from the running job (Beam hands them to the result only at its end).
   */
  @Test
  void onFlinksMiniClusterTheReplayCommitsOnceAnsweredAndItsCountersAreReadWhileItRuns(@TempDir Path dir) throws Exception {
    LocalKafka.Broker kafka = TestKafka.shared();
    String topic = "replay-flink-" + System.nanoTime();
    int connections = 4;
    TestTopics.create(kafka, topic, 2);
    TestTopics.write(kafka, ReplayPipelineTestRecords.onTopic(topic, connections));
    int expected = connections * ReplayPipelineTestRecords.REQUESTS_PER_CONNECTION;
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, request) -> request.pathAndQuery().equals("/")
        ? ScriptedHttpServer.Reply.json(200, TARGET_ROOT)
        : ScriptedHttpServer.Reply.json(201, "{\"result\":\"created\"}"))) {
      ReplayOptions options = RunnerPresets.parse(List.of("--runner=FlinkRunner", "--flinkMaster=[local]",
          "--kafka=" + kafka.bootstrap(), "--topic=" + topic, "--group=replay-flink-test", "--target=" + target.url(),
          "--sourceVersion=7.10.2", "--speedup=max", "--tuples=" + dir.resolve("tuples")), ReplayOptions.class);
      assertEquals(10_000, options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).getCheckpointingInterval(),
          "the flink-local preset checkpoints");
      ReplayJob job = new ReplayJob(options);
      PipelineResult running = job.start();
      try {
        await(() -> lag(kafka, topic, "replay-flink-test") == 0, Duration.ofSeconds(180));
        await(() -> job.counts(running).tuplesWritten() >= expected, Duration.ofSeconds(60));
        ReplayProgress.Counts counts = job.counts(running);
        assertEquals(expected, counts.replayed(), counts.toString());
        assertEquals(PipelineResult.State.RUNNING, running.getState());
      } finally {
        running.cancel();
      }
      assertEquals(expected, puts(target).size());
      assertEquals(expected, lines(dir.resolve("tuples"), "tuples"));
    }
  }

  private static ReplayOptions options(LocalKafka.Broker kafka, String topic, ScriptedHttpServer target, Path dir,
      String... more) {
    List<String> args = new ArrayList<>(List.of("--kafka=" + kafka.bootstrap(), "--topic=" + topic, "--group=replay-test",
        "--target=" + target.url(), "--sourceVersion=7.10.2", "--speedup=max", "--tuples=" + dir.resolve("tuples"),
        "--blockOnRun=false"));
    args.addAll(List.of(more));
    return RunnerPresets.parse(args, ReplayOptions.class);
  }

  /** Records on the topic not yet committed by the group (every record when nothing is committed). */
  static long lag(LocalKafka.Broker kafka, String topic, String group) {
    return ReplayProgress.lag(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()), topic, group);
  }

  private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + timeout);
      Thread.sleep(200);
    }
  }

  private static List<String> puts(ScriptedHttpServer target) {
    return target.requests().stream().filter(r -> r.method().equals("PUT")).map(ScriptedHttpServer.Request::pathAndQuery)
        .toList();
  }

  private static long lines(Path dir, String prefix) throws Exception {
    assertTrue(Files.isDirectory(dir), dir + " exists");
    try (Stream<Path> files = Files.list(dir)) {
      long n = 0;
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
        n += Files.readAllLines(f).size();
      }
      return n;
    }
  }
}
