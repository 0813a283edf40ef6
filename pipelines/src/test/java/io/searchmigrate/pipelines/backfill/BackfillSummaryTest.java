package io.searchmigrate.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a run counts as a success, and what it says when it does not. */
class BackfillSummaryTest {
  private static BackfillSummary summary(long lucene, String... counters) {
    BackfillSummary s = new BackfillSummary("snap", "http://t", "direct", List.of("a"));
    for (int i = 0; i < counters.length; i += 2) {
      s.add(counters[i], Long.parseLong(counters[i + 1]));
    }
    s.finish(1000, 0, lucene, Path.of("/tmp/dl.ndjson"), 0);
    return s;
  }

  @Test
  void everythingWritten() {
    BackfillSummary s = summary(10, "a|read", "10", "a|written", "10");
    assertTrue(s.isSuccess());
    assertNull(s.problem());
  }

  @Test
  void documentsInTheSnapshotButNothingWrittenIsAFailureEvenWithoutErrors() {
    BackfillSummary s = summary(10);
    assertFalse(s.isSuccess());
    assertEquals("the snapshot holds documents but none were written", s.problem());
  }

  @Test
  void anEmptySnapshotIsNotAFailure() {
    assertTrue(summary(0).isSuccess());
  }

  @Test
  void failuresAndSourcelessDocumentsAreNotDelivered() {
    BackfillSummary s = summary(10, "a|read", "10", "a|written", "7", "a|failed", "2", "a|no_source", "1");
    assertFalse(s.isSuccess());
    assertEquals("3 document(s) not delivered; see /tmp/dl.ndjson", s.problem());
  }

  @Test
  void writtenMustMatchRead() {
    BackfillSummary s = summary(10, "a|read", "10", "a|written", "9");
    assertFalse(s.isSuccess());
    assertEquals("read 10 documents but the target acknowledged 9", s.problem());
  }
}
