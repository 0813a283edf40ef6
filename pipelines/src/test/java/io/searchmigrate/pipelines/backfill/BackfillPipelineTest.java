package io.searchmigrate.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.coders.SourceDocumentCoder;
import io.searchmigrate.pipelines.opensearch.Backoff;
import io.searchmigrate.pipelines.opensearch.FailedDocument;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.testkit.Fixtures;
import io.searchmigrate.testkit.ScriptedHttpServer.Reply;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.transforms.document.DocumentTransform;
import io.searchmigrate.transforms.document.DocumentTransforms;
import io.searchmigrate.transforms.document.TargetDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill pipeline on the DirectRunner with its immutability and encodability checks on, against a scripted
 * bulk endpoint: every document either arrives or reaches the dead-letter output with why.
 */
class BackfillPipelineTest {
  private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(10));
  private ScriptedHttpServer target;

  @TempDir
  Path temp;

  @AfterEach
  void stop() {
    if (target != null) {
      target.close();
    }
  }

  /** A bulk endpoint that refuses documents whose id starts with "refused" and records the ids it accepted. */
  private ScriptedHttpServer bulkTarget(List<String> accepted) {
    target = ScriptedHttpServer.start((n, request) -> {
      StringBuilder items = new StringBuilder();
      boolean errors = false;
      String[] lines = request.body().split("\n");
      for (int i = 0; i < lines.length; i += 2) {
        String id = Json.parse(lines[i]).path("index").path("_id").asText();
        boolean refuse = id.startsWith("refused");
        errors |= refuse;
        if (!refuse) {
          synchronized (accepted) {
            accepted.add(id + " " + lines[i + 1]);
          }
        }
        items.append(items.length() == 0 ? "" : ",").append(refuse
            ? "{\"index\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"bad field\"}}}"
            : "{\"index\":{\"status\":201}}");
      }
      return Reply.json(200, "{\"errors\":" + errors + ",\"items\":[" + items + "]}");
    });
    return target;
  }

  /** Pipeline options with the DirectRunner's checks that re-encode and compare every element between steps. */
  private static Pipeline checkedPipeline() {
    BackfillOptions options = RunnerPresets.parse(List.of("--repo=unused", "--snapshot=unused", "--target=http://unused:9200"),
        BackfillOptions.class);
    options.as(DirectOptions.class).setEnforceImmutability(true);
    options.as(DirectOptions.class).setEnforceEncodability(true);
    return Pipeline.create(options);
  }

  /** Fails on one document, as a transform with a bug in it would. */
  private static final class RejectPoison implements DocumentTransform {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
      return "reject-poison";
    }

    @Override
    public List<TargetDocument> apply(SourceDocument document) throws Exception {
      if (document.id().equals("poison")) {
        throw new IllegalArgumentException("cannot take this one");
      }
      return DocumentTransforms.standard().apply(document);
    }
  }

  private static SourceDocument doc(String id, String source) {
    return new SourceDocument("books", null, id, null, source == null ? null : source.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyDocumentArrivesOrReachesTheDeadLetterOutputWithWhy() {
    List<String> accepted = new ArrayList<>();
    bulkTarget(accepted);
    Pipeline pipeline = checkedPipeline();
    PCollection<FailedDocument> failures = BackfillPipeline.deliver(
        pipeline.apply(Create.of(doc("fine", "{\"t\":1}"), doc("nosource", null), doc("poison", "{\"t\":2}"),
            doc("refused", "{\"t\":3}")).withCoder(SourceDocumentCoder.of())),
        new RejectPoison(), OpenSearchIO.write().to(target.endpoint()).withBackoff(FAST));
    PAssert.that(failures).containsInAnyOrder(
        new FailedDocument(FailedDocument.Stage.READ, "books", "nosource", null, "source_missing", "the document has no "
            + "stored _source (its index disables or filters _source), so a snapshot cannot reproduce it; reindex it from "
            + "its system of record", 0, null),
        new FailedDocument(FailedDocument.Stage.TRANSFORM, "books", "poison", null, "transform_failed",
            "transform 'reject-poison' failed: java.lang.IllegalArgumentException: cannot take this one", 0,
            "{\"t\":2}".getBytes(StandardCharsets.UTF_8)),
        new FailedDocument(FailedDocument.Stage.WRITE, "books", "refused", null, "mapper_parsing_exception",
            "mapper_parsing_exception: bad field", 400, "{\"t\":3}".getBytes(StandardCharsets.UTF_8)));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(List.of("fine {\"t\":1}"), accepted);
    BackfillCounts counts = BackfillCounts.of(result.metrics().queryMetrics(MetricsFilter.builder().build()));
    assertEquals(1, counts.written());
    assertEquals(2, counts.failed(), "the transform's and the target's refusals");
    assertEquals(1, counts.noSource());
  }

  @Test
  void backfillsAFixtureSnapshotThroughTheWholePipeline() throws IOException {
    List<String> accepted = new ArrayList<>();
    bulkTarget(accepted);
    Path deadLetters = temp.resolve("dead-letters.ndjson");
    BackfillOptions options = RunnerPresets.parse(List.of("--repo=" + Fixtures.snapshot("ES_6_8_Single"),
        "--snapshot=global_state_snapshot", "--target=" + target.url(), "--sliceSize=1"), BackfillOptions.class);
    options.as(DirectOptions.class).setEnforceImmutability(true);
    options.as(DirectOptions.class).setEnforceEncodability(true);
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply(new BackfillPipeline(options, Selection.ofIndices(List.of("posts_2024_*")), target.endpoint(),
        DocumentTransforms.standard(), deadLetters));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    TreeSet<String> ids = new TreeSet<>();
    accepted.forEach(line -> ids.add(line.substring(0, line.indexOf(' '))));
    assertEquals(new TreeSet<>(List.of("A01AZo4B7T-RS_C5Am6z", "AU0_Zo4B7T-RS_C5JW5A", "Ak0_Zo4B7T-RS_C58m7a")), ids);
    for (ScriptedHttpServer.Request request : target.requests()) {
      for (String action : request.body().split("\n")) {
        if (action.startsWith("{\"index\"")) {
          assertEquals("user123", Json.parse(action).path("index").path("routing").asText(), "routing kept: " + action);
        }
      }
    }
    assertFalse(Files.exists(deadLetters), "nothing failed, so no dead-letter file");
    BackfillCounts counts = BackfillCounts.of(result.metrics().queryMetrics(MetricsFilter.builder().build()));
    assertEquals(3, counts.read());
    assertEquals(3, counts.written());
    assertEquals(1, counts.shards);
    assertEquals(3, counts.slicesPlanned, "one slice per Lucene document");
    assertEquals(3, counts.slicesRead);
  }

  @Test
  void aDamagedShardIsReportedWithItsFileAndTheOtherShardsArrive() throws IOException {
    List<String> accepted = new ArrayList<>();
    bulkTarget(accepted);
    Path repo = temp.resolve("repo");
    try (Stream<Path> files = Files.walk(Fixtures.snapshot("ES_6_8_Single"))) {
      for (Path from : files.toList()) {
        Path to = repo.resolve(Fixtures.snapshot("ES_6_8_Single").relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    // posts_2023_02_25 (repository id nkLP...): flip one byte in the middle of its biggest blob
    Path shard = repo.resolve("indices/nkLPabE1RNC2nvGEnmRO2Q/0");
    Path blob;
    try (Stream<Path> blobs = Files.list(shard)) {
      blob = blobs.filter(p -> p.getFileName().toString().startsWith("__"))
          .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(blob, bytes);

    Path deadLetters = temp.resolve("dead-letters.ndjson");
    BackfillOptions options = RunnerPresets.parse(List.of("--repo=" + repo, "--snapshot=global_state_snapshot",
        "--target=" + target.url()), BackfillOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply(new BackfillPipeline(options, Selection.defaults(), target.endpoint(), DocumentTransforms.standard(),
        deadLetters));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    TreeSet<String> ids = new TreeSet<>();
    accepted.forEach(line -> ids.add(line.substring(0, line.indexOf(' '))));
    assertEquals(new TreeSet<>(List.of("A01AZo4B7T-RS_C5Am6z", "AU0_Zo4B7T-RS_C5JW5A", "Ak0_Zo4B7T-RS_C58m7a")), ids,
        "the healthy index arrives");
    List<String> lines = Files.readAllLines(deadLetters);
    assertEquals(1, lines.size(), lines.toString());
    JsonNode failure = Json.parse(lines.get(0));
    assertEquals("read", failure.path("stage").asText());
    assertEquals("posts_2023_02_25", failure.path("index").asText());
    assertEquals("shard_unreadable", failure.path("error_type").asText());
    assertTrue(failure.path("reason").asText().startsWith("shard 0 of index 'posts_2023_02_25': its files cannot be read: "),
        failure.toString());
    assertTrue(failure.path("reason").asText().contains(blob.getFileName().toString()), "names the file: " + failure);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(deadLetters)), "holds documents");
    BackfillCounts counts = BackfillCounts.of(result.metrics().queryMetrics(MetricsFilter.builder().build()));
    assertEquals(1, counts.shardsFailed());
    assertEquals(3, counts.written());
  }
}
