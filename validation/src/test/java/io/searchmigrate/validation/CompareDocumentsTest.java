package io.searchmigrate.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The comparison as a Beam transform on the DirectRunner (its immutability and encodability checks on). */
@ExtendWith(TestPipelineExtension.class)
class CompareDocumentsTest {

  private static ComparedDocument doc(String index, String id, String routing, String json) {
    return new ComparedDocument(index, id, routing, CanonicalJson.of(json.getBytes(StandardCharsets.UTF_8)), index, null);
  }

  @Test
  void classifiesEachDocumentByIndexAndId(TestPipeline pipeline) {
    classifiesEachDocument(pipeline, new CompareDocuments());
  }

  /** Buckets join many keys per group in memory: the same findings, whether keys share a bucket (1) or not. */
  @Test
  void bucketsFindExactlyWhatOneGroupPerDocumentFinds(TestPipeline pipeline) {
    classifiesEachDocument(pipeline, new CompareDocuments().withBuckets(1));
  }

  @Test
  void severalBucketsFindTheSameToo(TestPipeline pipeline) {
    classifiesEachDocument(pipeline, new CompareDocuments().withBuckets(3));
  }

  private static void classifiesEachDocument(TestPipeline pipeline, CompareDocuments compare) {
    ComparedDocument sameS = doc("a", "same", null, "{\"x\":1,\"y\":[1.0,\"t\"]}");
    ComparedDocument sameT = doc("a", "same", null, "{ \"y\" : [1, \"t\"], \"x\" : 1.00 }");
    ComparedDocument lost = doc("a", "lost", null, "{}");
    ComparedDocument extra = doc("a", "extra", null, "{}");
    ComparedDocument changedS = doc("b", "changed", null, "{\"x\":1}");
    ComparedDocument changedT = doc("b", "changed", null, "{\"x\":2}");
    ComparedDocument routedS = doc("b", "routed", "r1", "{\"x\":1}");
    ComparedDocument routedT = doc("b", "routed", "r2", "{\"x\":1}");
    ComparedDocument otherIndex = doc("b", "same", null, "{\"x\":1,\"y\":[1.0,\"t\"]}"); // same id, other index
    PCollection<ComparedDocument> source = pipeline.apply("Source", Create.of(sameS, lost, changedS, routedS, otherIndex)
        .withCoder(SerializableCoder.of(ComparedDocument.class)));
    PCollection<ComparedDocument> target = pipeline.apply("Target", Create.of(sameT, extra, changedT, routedT)
        .withCoder(SerializableCoder.of(ComparedDocument.class)));
    PCollection<Comparison> found = PCollectionTuple.of(CompareDocuments.SOURCE, source)
        .and(CompareDocuments.TARGET, target).apply(compare);
    PAssert.that(found).containsInAnyOrder(
        new Comparison("a", "same", Category.EQUAL, sameS, sameT),
        new Comparison("a", "lost", Category.MISSING, lost, null),
        new Comparison("a", "extra", Category.UNEXPECTED, null, extra),
        new Comparison("b", "changed", Category.DIFFERS, changedS, changedT),
        new Comparison("b", "routed", Category.ROUTING, routedS, routedT),
        new Comparison("b", "same", Category.MISSING, otherIndex, null));
    PAssert.that(found.apply(new CompareDocuments.ToReportLines())).containsInAnyOrder(
        "{\"count\":1,\"index\":\"a\",\"category\":\"equal\"}",
        "{\"count\":1,\"index\":\"a\",\"category\":\"missing\"}",
        "{\"count\":1,\"index\":\"a\",\"category\":\"unexpected\"}",
        "{\"count\":1,\"index\":\"b\",\"category\":\"differs\"}",
        "{\"count\":1,\"index\":\"b\",\"category\":\"routing\"}",
        "{\"count\":1,\"index\":\"b\",\"category\":\"missing\"}",
        "{\"index\":\"a\",\"id\":\"lost\",\"category\":\"missing\",\"source\":{\"source\":{}},\"target\":null,\"difference\":true}",
        "{\"index\":\"a\",\"id\":\"extra\",\"category\":\"unexpected\",\"source\":null,\"target\":{\"source\":{}},\"difference\":true}",
        "{\"index\":\"b\",\"id\":\"changed\",\"category\":\"differs\",\"source\":{\"source\":{\"x\":1}},\"target\":{\"source\":{\"x\":2}},\"difference\":true}",
        "{\"index\":\"b\",\"id\":\"routed\",\"category\":\"routing\",\"source\":{\"routing\":\"r1\",\"source\":{\"x\":1}},\"target\":{\"routing\":\"r2\",\"source\":{\"x\":1}},\"difference\":true}",
        "{\"index\":\"b\",\"id\":\"same\",\"category\":\"missing\",\"source\":{\"source\":{\"x\":1,\"y\":[1,\"t\"]}},\"target\":null,\"difference\":true}");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void anIdTwoMergedTypesShareIsComparedOnceAndTheOtherCopyIsMissing(TestPipeline pipeline) {
    mergedTypes(pipeline, new CompareDocuments());
  }

  @Test
  void mergedTypesInOneBucket(TestPipeline pipeline) {
    mergedTypes(pipeline, new CompareDocuments().withBuckets(1));
  }

  private static void mergedTypes(TestPipeline pipeline, CompareDocuments compare) {
    ComparedDocument type1 = new ComparedDocument("m", "1", null, "{\"a\":1}", "m", "type1");
    ComparedDocument type2 = new ComparedDocument("m", "1", null, "{\"b\":2}", "m", "type2");
    ComparedDocument onTarget = new ComparedDocument("m", "1", null, "{\"b\":2}", "m", null);
    PCollection<Comparison> found = PCollectionTuple
        .of(CompareDocuments.SOURCE, pipeline.apply("S", Create.of(type1, type2).withCoder(SerializableCoder.of(ComparedDocument.class))))
        .and(CompareDocuments.TARGET, pipeline.apply("T", Create.of(onTarget).withCoder(SerializableCoder.of(ComparedDocument.class))))
        .apply(compare);
    PAssert.that(found).containsInAnyOrder(new Comparison("m", "1", Category.EQUAL, type2, onTarget),
        new Comparison("m", "1", Category.MISSING, type1, null));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void canonicalJsonIgnoresKeyOrderAndNumberFormatsButNotValues() {
    assertEquals(CanonicalJson.of("{\"b\":{\"d\":1e2,\"c\":0.50},\"a\":-0.0}".getBytes(StandardCharsets.UTF_8)),
        CanonicalJson.of("{\"a\":0,\"b\":{\"c\":0.5,\"d\":100}}".getBytes(StandardCharsets.UTF_8)));
    assertEquals("{\"a\":[2,1],\"b\":\"1\"}", CanonicalJson.of("{\"b\":\"1\",\"a\":[2.0,1]}".getBytes(StandardCharsets.UTF_8)));
    assertNotEquals(CanonicalJson.of("{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8)),
        CanonicalJson.of("{\"a\":[2,1]}".getBytes(StandardCharsets.UTF_8)), "array order counts");
    assertNotEquals(CanonicalJson.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
        CanonicalJson.of("{\"a\":\"1\"}".getBytes(StandardCharsets.UTF_8)), "a string is not a number");
  }

  /** The comparison compares digests: they must be equal for exactly the pairs whose canonical texts are. */
  @Test
  void digestsAreEqualExactlyWhenCanonicalTextsAre() {
    java.util.List<String> sources = java.util.List.of("{\"b\":{\"d\":1e2,\"c\":0.50},\"a\":-0.0}",
        "{\"a\":0,\"b\":{\"c\":0.5,\"d\":100}}", "{\"a\":0,\"b\":{\"c\":0.5,\"d\":101}}", "{\"a\":[2,1],\"b\":\"1\"}",
        "{\"b\":\"1\",\"a\":[2.0,1]}", "{\"a\":[1,2],\"b\":\"1\"}", "{\"a\":[2,1],\"b\":1}", "{\"a\":\"1\"}",
        "{\"a\":1}", "{\"a\":1.000}", "{\"a\":10}", "{\"a\":1e1}", "{\"a\":true}", "{\"a\":\"true\"}", "{\"a\":null}",
        "{\"a\":\"null\"}", "{}", "[]", "{\"a\":{}}", "{\"a\":[]}", "{\"a\":123456789012345678901234567890}",
        "{\"a\":1.23456789012345678901234567890e29}", "{\"a\":123456789012345678901234567891}",
        "{\"a\":9223372036854775807}", "{\"a\":9223372036854775808}", "{\"a\":-9223372036854775808}",
        "{\"a\":\"x\",\"b\":\"y\"}", "{\"ab\":\"\",\"b\":\"y\"}", "{\"a\":\"\\u00e9\\n\"}", "{\"a\":\"\u00e9\\n\"}",
        "{\"a\":0.1}", "{\"a\":1e-1}", "{\"a\":100e-3}", "not json at all", "{\"a\":[null]}", "{\"a\":[[]]}",
        // strings are hashed as UTF-8 where that tells them apart: a lone surrogate (which UTF-8 writes as '?') is not
        "{\"a\":\"?\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"x?\"}", "{\"a\":\"x\\ud800\"}",
        "{\"a\":\"\u00e9?\"}", "{\"a\":\"\u00e9\\ud800\"}", "{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\ud83d\ude00\"}");
    for (String a : sources) {
      for (String b : sources) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        assertEquals(CanonicalJson.of(x).equals(CanonicalJson.of(y)),
            java.util.Arrays.equals(CanonicalJson.digest(x), CanonicalJson.digest(y)), a + " against " + b);
      }
    }
    assertEquals(null, CanonicalJson.digest(new byte[0]));
  }

  @Test
  void aRunWithNothingComparedOrAnEmptyIndexFails() {
    ValidationReport empty = new ValidationReport("clusters", "s", "t", java.time.Instant.EPOCH);
    empty.expectIndex("logs");
    assertEquals(java.util.List.of("no document was compared at all: both sides are empty or nothing was selected; this "
        + "is not a pass", "index 'logs': no document on either side, so nothing was compared"), empty.failures());
    ValidationReport oneEmpty = new ValidationReport("clusters", "s", "t", java.time.Instant.EPOCH);
    oneEmpty.expectIndex("logs");
    oneEmpty.count("orders", Category.EQUAL, 3);
    assertEquals(java.util.List.of("index 'logs': no document on either side, so nothing was compared"), oneEmpty.failures());
    assertEquals("fail", oneEmpty.verdict());
  }
}
