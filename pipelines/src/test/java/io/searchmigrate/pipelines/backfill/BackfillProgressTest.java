package io.searchmigrate.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.pipelines.runners.FlinkJobVertices;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines from successive readings of a run. */
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
  void linesGiveRatesSinceTheLastReadingThenPercentAndEta() {
    BackfillProgress progress = new BackfillProgress(0);
    assertEquals("[backfill    5s] written 0 (0 docs/s, 0.0 MB/s), read 0, failed 0, planning shards 2/4",
        progress.line(counts(4, 2, 3, 0, 0, 0, 0, 0, 0), 5 * SECOND));
    // a quarter of the Lucene documents read, 25,000 documents among them: about 100,000 to write, 20 % written
    assertEquals("[backfill   10s] written 20,000 (4,000 docs/s, 2.0 MB/s), read 25,000, failed 0, slices 2/8, 20%, ETA 40s",
        progress.line(counts(4, 4, 8, 2, 100_000, 25_000, 25_000, 20_000, 10L << 20), 10 * SECOND));
    // everything read (nested documents make Lucene's count larger): percent of what was read that is written
    assertEquals("[backfill   20s] written 60,000 (4,000 docs/s, 0.0 MB/s), read 80,000, failed 0, slices 8/8, 75%, ETA 7s",
        progress.line(counts(4, 4, 8, 8, 100_000, 100_000, 80_000, 60_000, 10L << 20), 20 * SECOND));
  }

  @Test
  void onFlinkTheLineSaysWhatTheTasksCounted() {
    BackfillProgress progress = new BackfillProgress(0);
    List<FlinkJobVertices.Vertex> reading = List.of(
        new FlinkJobVertices.Vertex("FlatMap at Backfill/ReadSnapshot/ReadSlices/ParMultiDo(ReadSlice)", 3, 40_000, false),
        new FlinkJobVertices.Vertex("FlatMap at Backfill/WriteToTarget/ToBulkLines/Map", 10_000, 0, false));
    assertEquals("[backfill    4s] sent to the target 10,000 (2,500 docs/s), read 40,000, Flink tasks 0/2 done",
        progress.flinkLine(reading, 4 * SECOND));
    List<FlinkJobVertices.Vertex> read = List.of(
        new FlinkJobVertices.Vertex("FlatMap at Backfill/ReadSnapshot/ReadSlices/ParMultiDo(ReadSlice)", 7, 50_000, true),
        new FlinkJobVertices.Vertex("FlatMap at Backfill/WriteToTarget/ToBulkLines/Map", 25_000, 0, false));
    assertEquals("[backfill    8s] sent to the target 25,000 (3,750 docs/s), read 50,000, Flink tasks 1/2 done, 50%, ETA 8s",
        progress.flinkLine(read, 8 * SECOND));
  }
}
