package io.searchmigrate.pipelines.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.testkit.Fixtures;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SnapshotIO as a Beam source over the fixture repositories, slices small enough to split every shard. */
@ExtendWith(TestPipelineExtension.class)
class SnapshotIOTest {
  private static PCollection<String> rows(PCollection<SourceDocument> docs) {
    return docs.apply(MapElements.into(TypeDescriptors.strings()).via((SourceDocument d) -> {
      try {
        return d.index() + "/" + d.type() + "/" + d.id() + "/" + d.routing() + " " + Json.toString(Json.parseXContent(d.source()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }));
  }

  @Test
  void readsSoftDeletedShardInSlices(TestPipeline pipeline) {
    PCollection<SourceDocument> docs = pipeline.apply(SnapshotIO.read()
        .from(Fixtures.snapshot("ES_7_10_Updates_Deletes_w_Soft").toString()).withSnapshot("rfs_snapshot").withSliceSize(2));
    PAssert.that(rows(docs)).containsInAnyOrder(
        "test_updates_deletes/null/complexdoc/null {\"title\":\"This is a doc with complex history\",\"content\":\"Updated!\"}",
        "test_updates_deletes/null/updateddoc/null {\"title\":\"This is doc that will be updated\",\"content\":\"Updated!\"}",
        "test_updates_deletes/null/unchangeddoc/null {\"title\":\"This doc will not be changed\\nIt has multiple lines of text\\n"
            + "Its source doc has extra newlines.\",\"content\":\"bluh bluh\"}");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void readsChosenIndicesWithRoutingAndEs5Types(TestPipeline pipeline) {
    PCollection<SourceDocument> posts = pipeline.apply("posts", SnapshotIO.read()
        .from(Fixtures.snapshot("ES_6_8_Single").toString()).withSnapshot("global_state_snapshot")
        .withIndices(List.of("posts_2024_*")).withSliceSize(1));
    PAssert.that(posts.apply("ids", MapElements.into(TypeDescriptors.strings()).via((SourceDocument d) -> d.id() + "@" + d.routing())))
        .containsInAnyOrder("AU0_Zo4B7T-RS_C5JW5A@user123", "Ak0_Zo4B7T-RS_C58m7a@user123", "A01AZo4B7T-RS_C5Am6z@user123");
    PCollection<SourceDocument> es5 = pipeline.apply("es5", SnapshotIO.read()
        .from(Fixtures.snapshot("ES_5_6_Updates_Deletes").toString()).withSnapshot("rfs_snapshot"));
    PAssert.that(es5.apply("types", MapElements.into(TypeDescriptors.strings()).via((SourceDocument d) -> d.type() + "#" + d.id())))
        .containsInAnyOrder("type1#complexdoc", "type2#updateddoc", "type2#unchangeddoc");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void nothingIsReadWhileThePipelineIsBuiltAndAnUnknownIndexFailsTheRun(TestPipeline pipeline) {
    // building reads nothing: a missing repository or index is found when the pipeline runs
    pipeline.apply(SnapshotIO.read().from(Fixtures.snapshot("ES_6_8_Single").toString()).withSnapshot("global_state_snapshot")
        .withIndices(List.of("posts_2024_*", "c*")));
    RuntimeException e = assertThrows(RuntimeException.class, () -> pipeline.run().waitUntilFinish());
    UserError cause = userError(e);
    assertEquals("no index 'c*' in snapshot 'global_state_snapshot'; it holds [posts_2023_02_25, posts_2024_01_01]",
        cause.getMessage());
  }

  private static UserError userError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UserError) {
        return (UserError) t;
      }
    }
    throw new AssertionError("no UserError behind " + e, e);
  }
}
