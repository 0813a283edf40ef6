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
  /** A summary from counters given as namespace/name, value pairs, as the pipeline's metrics would hold them. */
  private static BackfillSummary summary(long lucene, String... counters) {
    BackfillCounts counts = new BackfillCounts();
    counts.add("SnapshotIO", "lucene_docs", lucene);
    for (int i = 0; i < counters.length; i += 2) {
      String[] name = counters[i].split("/", 2);
      counts.add(name[0], name[1], Long.parseLong(counters[i + 1]));
    }
    counts.index("a").targetCount = counts.index("a").written; // what the target counts after the run
    BackfillSummary s = new BackfillSummary("snap", "http://t", "DirectRunner", List.of("a"), counts);
    s.finish(1000, Path.of("/tmp/dl.ndjson"), 3);
    return s;
  }

  @Test
  void everythingWritten() {
    BackfillSummary s = summary(10, "SnapshotIO/a|documents", "10", "OpenSearchIO/a|written", "10");
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
    BackfillSummary s = summary(10, "SnapshotIO/a|documents", "10", "OpenSearchIO/a|written", "7", "OpenSearchIO/a|failed", "1",
        "backfill/a|transform_failed", "1", "backfill/a|no_source", "1");
    assertFalse(s.isSuccess());
    assertEquals("3 document(s) not delivered; see /tmp/dl.ndjson", s.problem());
  }

  @Test
  void writtenMustMatchRead() {
    BackfillSummary s = summary(10, "SnapshotIO/a|documents", "10", "OpenSearchIO/a|written", "9");
    assertFalse(s.isSuccess());
    assertEquals("read 10 documents but the target acknowledged 9", s.problem());
  }

  @Test
  void aTargetThatCountsFewerDocumentsThanItAcknowledgedFailsTheRun() {
    BackfillSummary s = summary(10, "SnapshotIO/a|documents", "10", "OpenSearchIO/a|written", "10");
    s.counts().index("a").targetCount = 8;
    assertFalse(s.isSuccess());
    assertEquals("index 'a': the target counts 8 document(s) but acknowledged 10 (something between here and the target "
        + "answered for it?)", s.problem());
    s.counts().index("a").targetCount = -1;
    assertEquals("index 'a': the target could not count its documents, so the 10 acknowledged cannot be confirmed", s.problem());
  }

  @Test
  void fewerDocumentsInAMergedMultiTypeIndexAreSaidToBeIdsSharedByItsTypes() {
    BackfillSummary s = summary(5, "SnapshotIO/a|documents", "5", "OpenSearchIO/a|written", "5");
    s.counts().index("a").targetCount = 4;
    s.mergedTypes("a");
    assertEquals("index 'a': the target counts 4 document(s) but acknowledged 5: its mapping types were merged "
        + "(--multi-type merge), so documents of different types with the same _id became one; --multi-type split keeps "
        + "each type in an index of its own", s.problem());
  }

  @Test
  void anUnreadableShardFailsTheRunAndSaysWhereItIsNamed() {
    BackfillSummary s = summary(10, "SnapshotIO/a|documents", "7", "OpenSearchIO/a|written", "7", "SnapshotIO/a|shards_failed", "1");
    assertFalse(s.isSuccess());
    assertEquals("1 shard(s) or part(s) of shards could not be read (named in /tmp/dl.ndjson)", s.problem());
  }
}
