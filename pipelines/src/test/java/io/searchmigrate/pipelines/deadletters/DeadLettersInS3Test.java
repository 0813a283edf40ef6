package io.searchmigrate.pipelines.deadletters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.pipelines.ndjson.S3PartsFn;
import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Uri;
import io.searchmigrate.testkit.TestS3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Dead letters into a real S3 API server (s3proxy): bounded parts, every line kept, runs apart. */
class DeadLettersInS3Test {
  @Test
  void linesBecomeBoundedPartsInTheRunsOwnFolder() throws IOException {
    TestS3.useServerCredentials();
    try (S3Client s3 = TestS3.client()) {
      TestS3.createBucket(s3, "dead-letters");
    }
    S3Access access = S3Access.defaults().withEndpoint(TestS3.endpoint()).withRegion(TestS3.REGION);
    DeadLetterOutput run = DeadLetterOutput.prepare("s3://dead-letters/backfills", "dead-letter-snap", access, line -> { });
    assertTrue(run.location().startsWith("s3://dead-letters/backfills/dead-letter-snap-"), run.location());
    assertEquals(0, run.lines(), "nothing written yet");

    S3PartsFn fn = DeadLetterIO.parts(S3Uri.parse(run.location(), "--dead-letter"), access);
    fn.setup();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      String line = "{\"id\":\"doc-" + i + "\",\"reason\":\"rejected\"}";
      written.add(line);
      fn.process(line);
    }
    fn.finishBundle();
    fn.teardown();

    S3Uri folder = S3Uri.parse(run.location(), "--dead-letter");
    List<String> read = new ArrayList<>();
    List<Integer> partSizes = new ArrayList<>();
    try (S3Client s3 = TestS3.client()) {
      for (S3Object part : s3.listObjectsV2(b -> b.bucket(folder.bucket()).prefix(folder.prefix() + "/")).contents()) {
        assertTrue(part.key().matches(".*/part-[0-9a-f]{8}-\\d{6}\\.ndjson"), part.key());
        List<String> lines = s3.getObjectAsBytes(b -> b.bucket(folder.bucket()).key(part.key())).asString(StandardCharsets.UTF_8)
            .lines().toList();
        partSizes.add(lines.size());
        read.addAll(lines);
      }
    }
    assertEquals(List.of(1_000, 1_000, 500), partSizes);
    assertEquals(written, read, "every line, in order");
    assertEquals(2_500, run.lines());
    assertTrue(run.toString().endsWith("/ (one part-*.ndjson object per flush)"), run.toString());
  }
}
