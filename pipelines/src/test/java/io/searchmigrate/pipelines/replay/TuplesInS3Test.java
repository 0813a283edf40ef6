package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.pipelines.ndjson.NdjsonParts;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.TestKafka;
import io.searchmigrate.testkit.TestS3;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code --tuples s3://bucket/prefix}: a replay of a real Kafka broker's capture topic writes its tuples as objects
 * into a real S3 API server (s3proxy), and they are exactly the requests the target was sent; dead letters go to the
 * prefix's dead-letters/.
 */
class TuplesInS3Test {
  private static final String TARGET_ROOT = "{\"version\":{\"number\":\"2.19.1\",\"distribution\":\"opensearch\"}}";

  @Test
  void theTuplesInTheBucketAreTheReplayedRequests() throws Exception {
    String tuples = TestS3.freshPrefix("replay-tuples");
    LocalKafka.Broker kafka = TestKafka.shared();
    String topic = "replay-s3-" + System.nanoTime();
    int connections = 6;
    TestTopics.create(kafka, topic, 2);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(new ProducerRecord<>(topic, "x".getBytes(), "poison".getBytes()));
    records.addAll(ReplayPipelineTestRecords.onTopic(topic, connections));
    TestTopics.write(kafka, records);
    int expected = connections * ReplayPipelineTestRecords.REQUESTS_PER_CONNECTION;
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, request) -> request.pathAndQuery().equals("/")
        ? ScriptedHttpServer.Reply.json(200, TARGET_ROOT)
        : ScriptedHttpServer.Reply.json(201, "{\"result\":\"created\"}"))) {
      ReplayOptions options = RunnerPresets.parse(List.of("--kafka=" + kafka.bootstrap(), "--topic=" + topic,
          "--group=replay-s3-test", "--target=" + target.url(), "--sourceVersion=7.10.2", "--speedup=max",
          "--tuples=" + tuples, "--s3Endpoint=" + TestS3.endpoint(), "--s3Region=" + TestS3.REGION, "--blockOnRun=false"),
          ReplayOptions.class);
      ReplayJob job = new ReplayJob(options);
      PipelineResult running = job.start();
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (ReplayJobKafkaTest.lag(kafka, topic, "replay-s3-test") > 0
            || job.counts(running).tuplesWritten() < expected) {
          assertTrue(System.nanoTime() < deadline, "drained and every tuple written within 120 s: " + job.counts(running));
          Thread.sleep(200);
        }
      } finally {
        running.cancel();
      }
      List<String> sent = target.requests().stream().filter(r -> r.method().equals("PUT"))
          .map(ScriptedHttpServer.Request::pathAndQuery).sorted().toList();
      assertEquals(expected, sent.size());

      S3Access s3 = S3Access.defaults().withEndpoint(TestS3.endpoint()).withRegion(TestS3.REGION);
      List<JsonNode> written = lines(tuples, s3);
      assertEquals(sent, written.stream().map(t -> t.at("/target_request/path").asText()).sorted().toList(),
          "a tuple for every request sent, each once");
      assertEquals(new TreeSet<>(sent), new TreeSet<>(written.stream().map(t -> t.at("/source_request/path").asText()).toList()));
      assertTrue(written.stream().allMatch(t -> t.at("/target_response/status").asInt() == 201), written.toString());
      List<JsonNode> dead = lines(tuples + "/dead-letters", s3);
      assertEquals(1, dead.size(), dead.toString());
    }
  }

  private static List<JsonNode> lines(String location, S3Access s3) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (NdjsonParts.Part part : NdjsonParts.list(location, s3, false)) {
      assertTrue(part.name().matches("(tuples|dead-letters)-[0-9a-f]{8}-\\d{6}(\\.ndjson\\.gz|\\.\\d{4}\\.ndjson)"), part.name());
      try (BufferedReader reader = part.open()) {
        reader.lines().filter(l -> !l.isBlank()).map(Json::parse).forEach(lines::add);
      }
    }
    return lines;
  }
}
