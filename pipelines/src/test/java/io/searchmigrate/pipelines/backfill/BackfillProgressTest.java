package io.searchmigrate.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.pipelines.runners.FlinkJobVertices;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress readings from successive counts of a run (the line itself is ProgressLine's, tested there). */
class BackfillProgressTest {
  private static final long SECOND = 1_000_000_000L;

  private static BackfillCounts counts(long shards, long planned, long slices, long slicesRead, long lucene, long visited,
      long read, long written, long bytes) {
    BackfillCounts c = new BackfillCounts();
    c.add("SnapshotIO", "shards", shards);
    c.add("SnapshotIO", "shards_planned", planned);
    c.add("SnapshotIO", "slices_planned", slices);
    c.add("SnapshotIO", "slices_read", slicesRead);
    c.add("SnapshotIO", "lucene_docs", lucene);
    c.add("SnapshotIO", "lucene_docs_visited", visited);
    c.add("SnapshotIO", "orders|documents", read);
    c.add("OpenSearchIO", "orders|written", written);
    c.add("OpenSearchIO", "bytes_written", bytes);
    return c;
  }

  @Test
  void readingsSayWrittenAndHowManyThereWillBeOnceShardsArePlanned() {
    BackfillProgress progress = new BackfillProgress(0);
    assertEquals(new BackfillProgress.Reading(0, 0, "0.0 MB/s, read 0, failed 0, planning shards 2/4"),
        progress.reading(counts(4, 2, 3, 0, 0, 0, 0, 0, 0), 5 * SECOND));
    // a quarter of the Lucene documents read, 25,000 documents among them: about 100,000 to write
    assertEquals(new BackfillProgress.Reading(20_000, 100_000, "2.0 MB/s, read 25,000, failed 0, slices 2/8"),
        progress.reading(counts(4, 4, 8, 2, 100_000, 25_000, 25_000, 20_000, 10L << 20), 10 * SECOND));
    // everything read (nested documents make Lucene's count larger): what was read is what there is to write
    assertEquals(new BackfillProgress.Reading(60_000, 80_000, "0.0 MB/s, read 80,000, failed 0, slices 8/8"),
        progress.reading(counts(4, 4, 8, 8, 100_000, 100_000, 80_000, 60_000, 10L << 20), 20 * SECOND));
  }

  @Test
  void documentsWithoutSourceAreCountedApartFromFailures() {
    BackfillCounts c = counts(1, 1, 1, 1, 10, 10, 10, 5, 0);
    c.add(BackfillCounts.NAMESPACE, "orders|" + BackfillCounts.NO_SOURCE, 5);
    assertEquals("0.0 MB/s, read 10, failed 0, without source 5, slices 1/1",
        new BackfillProgress(0).reading(c, SECOND).details(), "as the summary's NO_SOURCE column: dead-lettered, not failed");
  }

  @Test
  void onFlinkTheReadingSaysWhatTheTasksCounted() {
    BackfillProgress progress = new BackfillProgress(0);
    List<FlinkJobVertices.Vertex> reading = List.of(
        new FlinkJobVertices.Vertex("FlatMap at Backfill/ReadSnapshot/ReadSlices/ParMultiDo(ReadSlice)", 3, 40_000, false),
        new FlinkJobVertices.Vertex("FlatMap at Backfill/WriteToTarget/ToBulkLines/Map", 10_000, 0, false));
    assertEquals(new BackfillProgress.Reading(10_000, 0, "sent to the target, read 40,000, Flink tasks 0/2 done"),
        progress.flinkReading(reading));
    List<FlinkJobVertices.Vertex> read = List.of(
        new FlinkJobVertices.Vertex("FlatMap at Backfill/ReadSnapshot/ReadSlices/ParMultiDo(ReadSlice)", 7, 50_000, true),
        new FlinkJobVertices.Vertex("FlatMap at Backfill/WriteToTarget/ToBulkLines/Map", 25_000, 0, false));
    assertEquals(new BackfillProgress.Reading(25_000, 50_000, "sent to the target, read 50,000, Flink tasks 1/2 done"),
        progress.flinkReading(read));
  }
}
