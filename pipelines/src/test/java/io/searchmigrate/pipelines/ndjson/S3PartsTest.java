package io.searchmigrate.pipelines.ndjson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Uri;
import io.searchmigrate.testkit.TestS3;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Rotating parts in a real S3 API server (s3proxy): chunks per bundle, a gzip part once full, every line once. */
class S3PartsTest {
  @Test
  void bundlesBecomeChunksUntilThePartIsFullThenOneGzipPartReplacesThem() throws IOException {
    String location = TestS3.freshPrefix("parts");
    S3Uri prefix = S3Uri.parse(location, "--tuples");
    S3Access access = S3Access.defaults().withEndpoint(TestS3.endpoint()).withRegion(TestS3.REGION);
    S3PartsFn fn = S3PartsFn.rotating(prefix, access, "tuples", 5);
    fn.setup();
    List<String> lines = IntStream.range(0, 9).mapToObj(i -> "{\"n\":" + i + "}").toList();
    for (String line : lines.subList(0, 3)) {
      fn.process(line);
    }
    fn.finishBundle();
    assertEquals(List.of(".0001.ndjson"), suffixes(prefix), "the first bundle's lines, kept as a chunk");
    assertEquals(lines.subList(0, 3), read(location, access));

    for (String line : lines.subList(3, 7)) {
      fn.process(line);
    }
    fn.finishBundle();
    assertEquals(List.of(".ndjson.gz", ".0001.ndjson"), suffixes(prefix), "part 1 whole and gzip'd, its chunk gone; part 2 begun");
    assertEquals(lines.subList(0, 7), read(location, access));

    for (String line : lines.subList(7, 9)) {
      fn.process(line);
    }
    fn.finishBundle();
    // a run that died between writing a part and deleting its chunks leaves both: the chunk is not read twice
    String chunk = keys(prefix).get(1);
    String stale = chunk.replace("-000002.0001.", "-000001.0009.");
    try (S3Client s3 = TestS3.client()) {
      s3.putObject(b -> b.bucket(prefix.bucket()).key(stale), RequestBody.fromString("{\"n\":0}\n"));
    }
    assertEquals(lines, read(location, access));

    fn.teardown();
    List<String> after = keys(prefix);
    assertEquals(3, after.size(), after.toString());
    assertTrue(after.get(2).endsWith("-000002.ndjson.gz"), "a clean stop writes the last part whole: " + after);
    assertEquals(lines, read(location, access));
  }

  private static List<String> read(String location, S3Access access) throws IOException {
    List<String> lines = new ArrayList<>();
    for (NdjsonParts.Part part : NdjsonParts.list(location, access, false)) {
      try (BufferedReader reader = part.open()) {
        reader.lines().forEach(lines::add);
      }
    }
    return lines;
  }

  private static List<String> keys(S3Uri prefix) {
    try (S3Client s3 = TestS3.client()) {
      return s3.listObjectsV2(b -> b.bucket(prefix.bucket()).prefix(prefix.prefix() + "/")).contents().stream()
          .map(S3Object::key).sorted().toList();
    }
  }

  /** What follows tuples-<worker>-<n> in each object's name, in name order. */
  private static List<String> suffixes(S3Uri prefix) {
    return keys(prefix).stream().map(k -> k.replaceAll("^.*/tuples-[0-9a-f]{8}-\\d{6}", "")).toList();
  }
}
