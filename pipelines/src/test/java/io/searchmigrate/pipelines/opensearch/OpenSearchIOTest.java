package io.searchmigrate.pipelines.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.coders.TargetDocumentCoder;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.ScriptedHttpServer.Reply;
import io.searchmigrate.transforms.document.TargetDocument;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OpenSearchIO.write() as a Beam transform (DirectRunner with its immutability and encodability checks on) against a
 * scripted bulk endpoint: how documents are batched, retried and reported.
 */
@ExtendWith(TestPipelineExtension.class)
class OpenSearchIOTest {
  private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(10));
  private ScriptedHttpServer target;

  @AfterEach
  void stop() {
    if (target != null) {
      target.close();
    }
  }

  /** A bulk endpoint answering each item with {@code status.apply(requestNumber, id)} (429 for the whole request: -429). */
  private ScriptedHttpServer bulkTarget(BiFunction<Integer, String, Integer> status) {
    target = ScriptedHttpServer.start((n, request) -> {
      List<String> ids = ids(request.body());
      if (!ids.isEmpty() && status.apply(n, ids.get(0)) == -429) {
        return Reply.json(429, "{\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full\"}}");
      }
      StringBuilder items = new StringBuilder();
      boolean errors = false;
      for (String id : ids) {
        int s = status.apply(n, id);
        errors |= s >= 300;
        items.append(items.length() == 0 ? "" : ",").append("{\"index\":{\"status\":").append(s)
            .append(s >= 300 ? ",\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse [" + id + "]\"}" : "")
            .append("}}");
      }
      return Reply.json(200, "{\"errors\":" + errors + ",\"items\":[" + items + "]}");
    });
    return target;
  }

  /** The document ids of a bulk body, in order. */
  private static List<String> ids(String body) {
    List<String> ids = new ArrayList<>();
    String[] lines = body.split("\n");
    for (int i = 0; i < lines.length; i += 2) {
      ids.add(Json.parse(lines[i]).path("index").path("_id").asText());
    }
    return ids;
  }

  private static TargetDocument doc(String id) {
    return new TargetDocument("books", id, id.startsWith("r") ? "user1" : null,
        ("{\"title\":\"book " + id + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  private static List<TargetDocument> docs(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> doc("d" + i)).toList();
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(OpenSearchIO.METRICS_NAMESPACE, name)).build()).getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  @Test
  void bundleBatchesAreBoundedByCountAndEveryDocumentIsSentOnce(TestPipeline pipeline) {
    bulkTarget((n, id) -> 201);
    PCollection<FailedDocument> failures = pipeline
        .apply(Create.of(docs(10)).withCoder(TargetDocumentCoder.of()))
        .apply(OpenSearchIO.write().to(target.endpoint()).withMaxBatchDocs(3).withBackoff(FAST));
    PAssert.that(failures).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    List<String> sent = new ArrayList<>();
    for (ScriptedHttpServer.Request request : target.requests()) {
      assertEquals("POST /_bulk?filter_path=errors,items.*.status,items.*.error", request.method() + " " + request.pathAndQuery());
      List<String> ids = ids(request.body());
      assertTrue(ids.size() <= 3, "at most 3 documents per request: " + ids);
      sent.addAll(ids);
    }
    sent.sort(null);
    assertEquals(docs(10).stream().map(TargetDocument::id).sorted().toList(), sent);
    assertEquals(10, counter(result, "books|" + OpenSearchIO.WRITTEN));
  }

  @Test
  void statefulBatchesFillWhateverTheBundles(TestPipeline pipeline) {
    bulkTarget((n, id) -> 201);
    pipeline.apply(Create.of(docs(10)).withCoder(TargetDocumentCoder.of()))
        .apply(OpenSearchIO.write().to(target.endpoint()).withMaxBatchDocs(4).withStatefulBatches(1).withBackoff(FAST));
    pipeline.run().waitUntilFinish();
    List<Integer> sizes = new ArrayList<>(target.requests().stream().map(r -> ids(r.body()).size()).toList());
    sizes.sort(null);
    assertEquals(List.of(2, 4, 4), sizes, "one key: two full batches and the rest when the input ends");
  }

  @Test
  void batchesAreBoundedByBytes(TestPipeline pipeline) {
    bulkTarget((n, id) -> 201);
    long itemBytes = BulkItem.of(doc("d1")).size(); // every item of docs(9) has the same size
    pipeline.apply(Create.of(docs(9)).withCoder(TargetDocumentCoder.of()))
        .apply(OpenSearchIO.write().to(target.endpoint()).withMaxBatchBytes(2 * itemBytes + 1).withBackoff(FAST));
    pipeline.run().waitUntilFinish();
    for (ScriptedHttpServer.Request request : target.requests()) {
      assertTrue(request.body().getBytes(StandardCharsets.UTF_8).length <= 2 * itemBytes + 1, request.body());
    }
    assertEquals(9, target.requests().stream().mapToInt(r -> ids(r.body()).size()).sum());
  }

  @Test
  void retriesRejectedRequestsAndReportsRefusedDocumentsInTheirWindow(TestPipeline pipeline) {
    // the first request is refused whole (429) and retried; the target then refuses "bad" documents for good
    bulkTarget((n, id) -> n == 1 ? -429 : id.startsWith("bad") ? 400 : 201);
    Instant start = new Instant(0);
    List<TimestampedValue<TargetDocument>> input = List.of(
        TimestampedValue.of(doc("ok1"), start.plus(org.joda.time.Duration.standardSeconds(10))),
        TimestampedValue.of(doc("bad1"), start.plus(org.joda.time.Duration.standardSeconds(20))),
        TimestampedValue.of(doc("ok2"), start.plus(org.joda.time.Duration.standardSeconds(70))),
        TimestampedValue.of(doc("bad2"), start.plus(org.joda.time.Duration.standardSeconds(80))));
    PCollection<FailedDocument> failures = pipeline
        .apply(Create.timestamped(input).withCoder(TargetDocumentCoder.of()))
        .apply(Window.into(FixedWindows.of(org.joda.time.Duration.standardMinutes(1))))
        .apply(OpenSearchIO.write().to(target.endpoint()).withBackoff(FAST));
    IntervalWindow first = new IntervalWindow(start, org.joda.time.Duration.standardMinutes(1));
    IntervalWindow second = new IntervalWindow(first.end(), org.joda.time.Duration.standardMinutes(1));
    PAssert.that(failures).inWindow(first).containsInAnyOrder(refused("bad1"));
    PAssert.that(failures).inWindow(second).containsInAnyOrder(refused("bad2"));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    Map<String, Integer> attempts = new TreeMap<>();
    target.requests().forEach(r -> ids(r.body()).forEach(id -> attempts.merge(id, 1, Integer::sum)));
    int total = attempts.values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(4 + ids(target.requests().get(0).body()).size(), total, "only the documents of the refused request went twice");
    assertEquals(2, counter(result, "books|" + OpenSearchIO.WRITTEN));
    assertEquals(2, counter(result, "books|" + OpenSearchIO.FAILED));
  }

  private static FailedDocument refused(String id) {
    TargetDocument d = doc(id);
    return new FailedDocument(FailedDocument.Stage.WRITE, "books", id, null, "mapper_parsing_exception",
        "mapper_parsing_exception: failed to parse [" + id + "]", 400, d.source());
  }

  @Test
  void aFailureLineCarriesWhatIsNeededToSendTheDocumentAgain() {
    FailedDocument failure = refused("bad1");
    JsonNode line = Json.parse(failure.toJsonLine());
    assertEquals("{\"index\":{\"_index\":\"books\",\"_id\":\"bad1\"}}", Json.toString(line.path("action")));
    assertEquals("{\"title\":\"book bad1\"}", Json.toString(line.path("source")));
  }
}
