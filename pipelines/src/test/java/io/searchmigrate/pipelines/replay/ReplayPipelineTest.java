package io.searchmigrate.pipelines.replay;

import static io.searchmigrate.pipelines.replay.ConnectionReassemblyTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.capture.CaptureRecord.Observation;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.opensearch.Backoff;
import io.searchmigrate.testkit.ScriptedHttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The replay on the DirectRunner against a scripted target: order per connection, tuples, retries, poison records. */
@ExtendWith(TestPipelineExtension.class)
class ReplayPipelineTest {
  private static final int CONNECTIONS = 3;
  private static final int REQUESTS_PER_CONNECTION = ReplayPipelineTestRecords.REQUESTS_PER_CONNECTION;

  @Test
  void requestsOfEachConnectionReachTheTargetInOrderWithATupleEachAndPoisonIsDeadLettered(TestPipeline pipeline) {
    List<byte[]> values = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      ReplayPipelineTestRecords.connection(c).forEach(r -> values.add(r.encode()));
    }
    Collections.shuffle(values, new Random(7)); // partitions interleave; a connection's records may come out of order
    values.add(5, bytes("not a capture record"));
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, request) ->
        request.pathAndQuery().equals("/i/_doc/1-2") && retried.compareAndSet(false, true)
            ? ScriptedHttpServer.Reply.json(429, "{\"error\":\"busy\"}")
            : ScriptedHttpServer.Reply.json(201, "{\"result\":\"created\"}"))) {
      List<TopicRecord> records = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        records.add(new TopicRecord(i % 2, i, values.get(i)));
      }
      PCollectionTuple out = pipeline.apply(Create.of(records).withCoder(TopicRecord.CODER))
          .apply(ReplayPipeline.to(target.endpoint())
              .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(500))));

      PAssert.that(out.get(ReplayPipeline.TUPLES)).satisfies(lines -> {
        List<JsonNode> tuples = StreamSupport.stream(lines.spliterator(), false).map(Json::parse).toList();
        assertEquals(CONNECTIONS * REQUESTS_PER_CONNECTION, tuples.size());
        TreeSet<String> keys = new TreeSet<>();
        for (JsonNode tuple : tuples) {
          tuple.fieldNames().forEachRemaining(keys::add);
          assertEquals("[redacted]", tuple.at("/source_request/headers/authorization").asText(), tuple.toString());
          assertEquals(201, tuple.at("/source_response/status").asInt());
          assertEquals(201, tuple.at("/target_response/status").asInt(), "the 429 was retried: " + tuple);
          assertEquals(true, tuple.get("status_match").asBoolean());
          assertEquals(tuple.at("/source_request/body/n").asInt(), tuple.get("request_index").asInt());
          assertEquals("ok", tuple.at("/source_response/body/result").asText());
        }
        assertEquals(new TreeSet<>(List.of("connection", "request_index", "rewrites", "source_request",
            "source_response", "status_match", "target_request", "target_response", "timestamp")), keys);
        return null;
      });
      PAssert.that(out.get(ReplayPipeline.DEAD_LETTERS)).satisfies(lines -> {
        List<JsonNode> dead = StreamSupport.stream(lines.spliterator(), false).map(Json::parse).toList();
        assertEquals(1, dead.size());
        assertEquals("not a capture record: not a capture record (no SMCP magic)", dead.get(0).get("reason").asText());
        return null;
      });
      PAssert.that(out.get(ReplayPipeline.POSITIONS)).satisfies(events -> {
        TreeSet<String> read = new TreeSet<>();
        TreeSet<String> done = new TreeSet<>();
        for (KV<Integer, KV<Long, Boolean>> e : events) {
          String position = e.getKey() + "/" + e.getValue().getKey();
          assertTrue((e.getValue().getValue() ? done : read).add(position), "once: " + position);
        }
        assertEquals(values.size(), read.size(), "every record read");
        assertEquals(read, done, "and done with once its requests were answered");
        return null;
      });
      pipeline.run().waitUntilFinish();

      List<String> paths = target.requests().stream().map(ScriptedHttpServer.Request::pathAndQuery).toList();
      assertEquals(CONNECTIONS * REQUESTS_PER_CONNECTION + 1, paths.size(), "one retry: " + paths);
      for (int c = 0; c < CONNECTIONS; c++) {
        String prefix = "/i/_doc/" + c + "-";
        List<String> ofConnection = paths.stream().filter(p -> p.startsWith(prefix)).distinct().toList();
        assertEquals(List.of(prefix + 0, prefix + 1, prefix + 2, prefix + 3), ofConnection, "in captured order");
      }
    }
  }

  private final AtomicBoolean retried = new AtomicBoolean();
}
