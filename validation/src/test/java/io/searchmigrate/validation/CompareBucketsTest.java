package io.searchmigrate.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.coders.SourceDocumentCoder;
import io.searchmigrate.transforms.document.DocumentTransforms;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The first look by bucket sums: which documents it proves equal, and which buckets it leaves to the join. */
@ExtendWith(TestPipelineExtension.class)
class CompareBucketsTest {
  private static final int BUCKETS = 16;

  private static SourceDocument doc(String index, String id, String routing, String json) {
    return new SourceDocument(index, null, id, routing, json.getBytes(StandardCharsets.UTF_8));
  }

  private static PCollectionTuple sides(TestPipeline pipeline, List<SourceDocument> source, List<SourceDocument> target) {
    return PCollectionTuple
        .of(CompareBuckets.SOURCE, pipeline.apply("Source", Create.of(source).withCoder(SourceDocumentCoder.of())))
        .and(CompareBuckets.TARGET, pipeline.apply("Target", Create.of(target).withCoder(SourceDocumentCoder.of())));
  }

  /** Reference outputs of MurmurHash3 x64 128 with seed 0, as its reference implementation (and Guava) give them. */
  @Test
  void theHashIsMurmurHash3() {
    Map<String, String> expected = Map.of(
        "", "00000000000000000000000000000000",
        "hello", "029bbd41b3a7d8cb191dae486a901e5b",
        "The quick brown fox jumps over the lazy dog", "6c1b07bc7bbc4be347939ac4a93c437a",
        "0123456789abcdefXYZ", "1d904a6c0275d399f39cf8ea56e2694e");
    expected.forEach((text, hex) -> {
      byte[] padded = ("ab" + text + "c").getBytes(StandardCharsets.UTF_8); // an offset and a length within an array
      assertEquals(hex, HexFormat.of().formatHex(Hash128.toBytes(Hash128.of(padded, 2, padded.length - 3))), text);
    });
  }

  /**
   * Hashing with line breaks read as spaces, eight bytes at a time, is hashing the bytes with them made spaces: on
   * random inputs of every length up to 80 (tails included) drawn mostly from CR, LF and their near neighbours
   * (0x00, 0x09, 0x0b, 0x0c, 0x0e, 0x8a, 0x8d, 0xff), at offsets within a larger array.
   */
  @Test
  void hashingWithLineBreaksAsSpacesIsHashingTheSingleLine() {
    byte[] alphabet = {'\n', '\r', ' ', 0x00, 0x09, 0x0b, 0x0c, 0x0e, (byte) 0x8a, (byte) 0x8d, (byte) 0xff, 'a', '{'};
    java.util.Random random = new java.util.Random(42);
    for (int trial = 0; trial < 2_000; trial++) {
      byte[] data = new byte[3 + random.nextInt(80)];
      for (int i = 0; i < data.length; i++) {
        data[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
      }
      int offset = random.nextInt(3);
      int length = random.nextInt(data.length - offset + 1);
      byte[] line = Json.lineBreaksAsSpaces(Arrays.copyOfRange(data, offset, offset + length));
      assertArrayEquals(Hash128.of(line, 0, line.length), Hash128.ofLine(data, offset, length),
          HexFormat.of().formatHex(data, offset, offset + length));
    }
  }

  /** A line break counts as the space the backfill writes for it; any other change of bytes counts. */
  @Test
  void fingerprintsReadLineBreaksAsSpacesAndNothingElse() {
    assertArrayEquals(print("{\"a\":[1, {\"b\":\"x y\"}] }"), print("{\"a\":[1,\n{\"b\":\"x y\"}]\r}"));
    assertArrayEquals(print(" {\"a\":1}"), print("\n{\"a\":1}"));
    assertFalse(Arrays.equals(print("{\"a\":1,\"b\":2}"), print("{\"a\":1, \"b\":2}")));
    assertFalse(Arrays.equals(print("{\"s\":\"x y\"}"), print("{\"s\":\"xy\"}")));
    // not JSON (another content type): byte for byte
    assertFalse(Arrays.equals(print(":)\n\u0001x"), print(":) \u0001x")));
    assertFalse(Arrays.equals(BucketSums.fingerprint("1", null, utf8("{}")), BucketSums.fingerprint("1", "r", utf8("{}"))));
    assertFalse(Arrays.equals(BucketSums.fingerprint("1", null, utf8("{}")), BucketSums.fingerprint("1", null, null)));
    assertFalse(Arrays.equals(BucketSums.fingerprint("1", null, utf8("{}")), BucketSums.fingerprint("2", null, utf8("{}"))));
  }

  private static long[] print(String source) {
    return BucketSums.fingerprint("id", null, utf8(source));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void sumsSurviveTheirEncodingAndAddUpInAnyOrder() {
    BucketSums one = new BucketSums(BUCKETS);
    BucketSums two = new BucketSums(BUCKETS);
    BucketSums all = new BucketSums(BUCKETS);
    for (int i = 0; i < 50; i++) {
      String id = "id-" + i;
      String routing = i % 3 == 0 ? "r" : null;
      byte[] source = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
      (i % 2 == 0 ? one : two).add(id, routing, source, false);
      all.add(id, routing, source, true); // on one line already: the same sums
    }
    BucketSums decoded = new BucketSums(BucketSums.bucketsOf(two.encode()));
    decoded.addEncoded(two.encode());
    decoded.addEncoded(one.encode());
    assertEquals(50, decoded.total());
    for (int b = 0; b < BUCKETS; b++) {
      assertTrue(decoded.sameAs(all, b), "bucket " + b);
    }
    assertFalse(one.sameAs(all, BucketSums.bucket("id-0", BUCKETS)));
    assertThrows(IllegalArgumentException.class, () -> new BucketSums(BUCKETS + 1).addEncoded(one.encode()));
  }

  /**
   * Documents stored alike (a line break read as a space) are counted equal without a join; each kind of difference,
   * and a copy written otherwise (key order, number format: equal only canonically), leaves exactly its own bucket to
   * the join, and an index only on one side has all of its buckets differing.
   */
  @Test
  void equalBucketsAreCountedAndEachDifferenceLeavesItsBucket(TestPipeline pipeline) {
    List<SourceDocument> source = new ArrayList<>();
    List<SourceDocument> target = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      source.add(doc("a", "same-" + i, null, "{\"x\":" + i + ", \"y\":[1.0,\"t\"]}"));
      target.add(doc("a", "same-" + i, null, "{\"x\":" + i + ",\n\"y\":[1.0,\"t\"]}"));
      source.add(doc("b", "b-" + i, "r", "{\"x\":" + i + "}"));
      target.add(doc("b", "b-" + i, "r", "{\"x\":" + i + "}"));
    }
    source.add(doc("a", "lost", null, "{}"));
    target.add(doc("a", "extra", null, "{}"));
    source.add(doc("a", "changed", null, "{\"x\":1}"));
    target.add(doc("a", "changed", null, "{\"x\":2}"));
    source.add(doc("a", "routed", "r1", "{\"x\":1}"));
    target.add(doc("a", "routed", "r2", "{\"x\":1}"));
    source.add(doc("a", "reordered", null, "{\"x\":1,\"y\":\"a b\"}"));
    target.add(doc("a", "reordered", null, "{\"y\":\"a b\",\"x\":1.0}"));
    source.add(doc("a", "spaced", null, "{\"s\":\"a b\"}"));
    target.add(doc("a", "spaced", null, "{\"s\":\"ab\"}"));
    target.add(doc("c", "only-here", null, "{}"));
    int[] differingA = java.util.stream.IntStream.of(bucket("lost"), bucket("extra"), bucket("changed"), bucket("routed"),
            bucket("reordered"), bucket("spaced"))
        .distinct().sorted().toArray();
    long sameInDifferingA = java.util.stream.IntStream.range(0, 40)
        .filter(i -> java.util.Arrays.binarySearch(differingA, bucket("same-" + i)) >= 0).count();
    long docsInDifferingA = 2 * sameInDifferingA + 10;
    PCollection<BucketVerdict> verdicts = sides(pipeline, source, target)
        .apply(CompareBuckets.over(BUCKETS).withSourceTransform(DocumentTransforms.standard()));
    PAssert.that(verdicts).containsInAnyOrder(
        new BucketVerdict("a", 45, 45, 40 - sameInDifferingA, differingA, docsInDifferingA),
        new BucketVerdict("b", 40, 40, 40, new int[0], 0),
        new BucketVerdict("c", 0, 1, 0, new int[] {bucket("only-here")}, 1));
    pipeline.run().waitUntilFinish();
  }

  /** A count and a sum of source digests alone would miss two documents whose sources were swapped: ids count. */
  @Test
  void swappedSourcesDifferEvenWhenTheCountsAndSourcesAgree(TestPipeline pipeline) {
    PCollection<BucketVerdict> verdicts = sides(pipeline,
        List.of(doc("a", "one", null, "{\"v\":1}"), doc("a", "two", null, "{\"v\":2}")),
        List.of(doc("a", "one", null, "{\"v\":2}"), doc("a", "two", null, "{\"v\":1}")))
        .apply(CompareBuckets.over(1));
    PAssert.that(verdicts).containsInAnyOrder(new BucketVerdict("a", 2, 2, 0, new int[] {0}, 4));
    pipeline.run().waitUntilFinish();
  }

  /** The second look reads everything again but makes comparable only the documents of the differing buckets. */
  @Test
  void theJoinTakesOnlyTheDifferingBuckets(TestPipeline pipeline) {
    List<SourceDocument> docs = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    int keptBucket = bucket("d-0");
    for (int i = 0; i < 60; i++) {
      docs.add(doc("a", "d-" + i, null, "{}"));
      docs.add(doc("b", "d-" + i, null, "{}"));
      if (bucket("d-" + i) == keptBucket) {
        kept.add("a/d-" + i);
      }
    }
    PCollection<String> out = pipeline.apply(Create.of(docs).withCoder(SourceDocumentCoder.of()))
        .apply(ParDo.of(new ToComparedFn(null).onlyBuckets(BUCKETS, Map.of("a", new int[] {keptBucket})).digestOnly()))
        .setCoder(ComparisonCoders.document())
        .apply(org.apache.beam.sdk.transforms.MapElements.into(org.apache.beam.sdk.values.TypeDescriptors.strings())
            .via((ComparedDocument d) -> d.index() + "/" + d.id()));
    PAssert.that(out).containsInAnyOrder(kept);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aVerdictReadsBackFromItsLine() {
    BucketVerdict verdict = new BucketVerdict("logs-1", 10, 9, 7, new int[] {2, 5}, 5);
    assertEquals(verdict, BucketVerdict.fromJson(Json.parse(verdict.toJsonLine())));
    assertArrayEquals(new int[] {2, 5}, BucketVerdict.fromJson(Json.parse(verdict.toJsonLine())).differingBuckets());
  }

  private static int bucket(String id) {
    return BucketSums.bucket(id, BUCKETS);
  }
}
