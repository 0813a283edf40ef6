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
      PCollectionTuple out = pipeline.apply(ReplayPipelineTestRecords.asRead(records))
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
        for (KV<Integer, TopicPositions> e : events) {
          for (long offset : e.getValue().offsets()) {
            String position = e.getKey() + "/" + offset;
            assertTrue((e.getValue().doneWith() ? done : read).add(position), "once: " + position);
          }
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

  @Test
  void aNoiseSampleAsksReadOnlyRequestsTwiceAndKeepsBothAnswersButNeverRepeatsAWriteOrAScroll(TestPipeline pipeline) {
    List<String[]> requests = List.of(new String[] {"GET", "/i/_search", "{\"query\":{\"match_all\":{}}}"},
        new String[] {"PUT", "/i/_doc/x", "{\"n\":1}"},
        new String[] {"POST", "/_search/scroll", "{\"scroll_id\":\"abc\"}"},
        new String[] {"POST", "/i/_count", "{}"});
    List<Observation> observations = new ArrayList<>();
    long t = 1_000;
    observations.add(new CaptureRecord.Open(t, "127.0.0.1:6000", "127.0.0.1:9201", false));
    for (int i = 0; i < requests.size(); i++) {
      String[] r = requests.get(i);
      observations.add(new CaptureRecord.RequestBytes(++t, bytes(r[0] + " " + r[1] + " HTTP/1.1\r\nHost: source:9200\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + r[2].length() + "\r\n\r\n" + r[2])));
      observations.add(new CaptureRecord.RequestEnd(++t, i, r[0], r[1], true));
      observations.add(new CaptureRecord.ResponseBytes(++t, bytes("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
          + "content-length: 2\r\n\r\n{}")));
      observations.add(new CaptureRecord.ResponseEnd(++t, i, 200));
    }
    observations.add(new CaptureRecord.Close(++t, 1));
    List<TopicRecord> records = new ArrayList<>();
    for (CaptureRecord r : ConnectionReassemblyTest.records("noise", observations, 1)) {
      records.add(new TopicRecord(0, records.size(), r.encode()));
    }
    // every answer carries the number of the request the target served: two answers always differ there
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, request) ->
        ScriptedHttpServer.Reply.json(200, "{\"served\":" + n + ",\"count\":3}"))) {
      PCollectionTuple out = pipeline.apply(ReplayPipelineTestRecords.asRead(records))
          .apply(ReplayPipeline.to(target.endpoint()).withNoiseSample(1.0));
      PAssert.that(out.get(ReplayPipeline.TUPLES)).satisfies(lines -> {
        List<String> seen = new ArrayList<>();
        for (String line : lines) {
          JsonNode tuple = Json.parse(line);
          JsonNode repeat = tuple.path("target_response_repeat");
          seen.add(tuple.at("/source_request/path").asText() + " " + (repeat.isMissingNode() ? "once"
              : "twice " + (repeat.at("/body/served").asInt() - tuple.at("/target_response/body/served").asInt())
              + " " + repeat.at("/body/count").asInt() + " " + repeat.path("status").asInt()));
        }
        Collections.sort(seen);
        assertEquals(List.of("/_search/scroll once", "/i/_count twice 1 3 200", "/i/_doc/x once", "/i/_search twice 1 3 200"),
            seen);
        return null;
      });
      pipeline.run().waitUntilFinish();
      assertEquals(6, target.requests().size(), "4 requests, 2 of them asked twice");
    }
  }
}
