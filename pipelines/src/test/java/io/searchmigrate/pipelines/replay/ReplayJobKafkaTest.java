package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay job reads a real Kafka broker's capture topic, replays into the target, writes tuples and dead letters. */
class ReplayJobKafkaTest {
  @Test
  void capturedRequestsOnTheTopicReachTheTargetWithTuplesAndThePoisonRecordIsDeadLettered(@TempDir Path dir)
      throws Exception {
    LocalKafka.Broker kafka = TestKafka.shared();
    String topic = "replay-job-" + System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      producer.send(new ProducerRecord<>(topic, "x".getBytes(), "poison".getBytes())).get();
      for (int c = 0; c < 2; c++) {
        for (CaptureRecord r : ReplayPipelineTestRecords.connection(c)) {
          producer.send(new ProducerRecord<>(topic, r.connectionId().getBytes(), r.encode())).get();
        }
      }
    }
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, request) -> request.pathAndQuery().equals("/")
        ? ScriptedHttpServer.Reply.json(200, "{\"version\":{\"number\":\"2.19.1\",\"distribution\":\"opensearch\"}}")
        : ScriptedHttpServer.Reply.json(201, "{\"result\":\"created\"}"))) {
      ReplayOptions options = RunnerPresets.parse(List.of("--kafka=" + kafka.bootstrap(), "--topic=" + topic,
          "--target=" + target.url(), "--sourceVersion=7.10.2", "--speedup=max", "--tuples=" + dir.resolve("tuples"),
          "--blockOnRun=false"), ReplayOptions.class);
      PipelineResult running = new ReplayJob(options).start();
      int expected = 2 * ReplayPipelineTestRecords.REQUESTS_PER_CONNECTION;
      try {
        for (int i = 0; i < 1200 && puts(target) < expected; i++) {
          Thread.sleep(100);
        }
        Thread.sleep(1000); // the bundle that sent them flushes its tuple lines
      } finally {
        running.cancel();
      }
      assertEquals(expected, puts(target));
      assertEquals(expected, lines(dir.resolve("tuples"), "tuples"));
      assertEquals(1, lines(dir.resolve("tuples").resolve("dead-letters"), "dead-letters"));
    }
  }

  private static long puts(ScriptedHttpServer target) {
    return target.requests().stream().filter(r -> r.method().equals("PUT")).count();
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
