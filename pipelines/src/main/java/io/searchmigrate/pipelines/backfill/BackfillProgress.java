package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.common.Durations;
import io.searchmigrate.pipelines.runners.FlinkJobVertices;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Turns successive readings of a running backfill into the readings of its {@link io.searchmigrate.common.ProgressLine}:
 * documents written, how many there will be (estimated from the share of Lucene documents read), and MB/s, slices,
 * failures; from its Beam metrics ({@link BackfillCounts}) or, on Flink, from its tasks' record counters.
 */
final class BackfillProgress {
  /** One reading: documents written (or sent, on Flink), how many in all as far as known (0: not yet), the rest. */
  record Reading(long done, long total, String details) {}

  private long lastNanos;
  private long lastBytes;

  BackfillProgress(long startNanos) {
    this.lastNanos = startNanos;
  }

  /** The reading for these counts; MB/s is since the previous reading. */
  Reading reading(BackfillCounts now, long nowNanos) {
    double interval = Math.max(1e-3, (nowNanos - lastNanos) / 1e9);
    long bytes = now.bytesWritten();
    double mbPerSecond = (bytes - lastBytes) / interval / (1 << 20);
    lastNanos = nowNanos;
    lastBytes = bytes;
    StringBuilder details = new StringBuilder(String.format(Locale.ROOT, "%.1f MB/s, read %,d, failed %,d", mbPerSecond,
        now.read(), now.failed()));
    if (now.noSource() > 0) { // as the summary's NO_SOURCE column: dead-lettered, not failed
      details.append(String.format(Locale.ROOT, ", without source %,d", now.noSource()));
    }
    if (now.deleted() > 0 || now.segmentsSkipped() > 0) { // a delta: shards are read whole, one by one
      details.append(String.format(Locale.ROOT, ", deleted %,d, segments skipped %,d", now.deleted(), now.segmentsSkipped()));
    }
    if (now.waitingMillis > 0) {
      details.append(String.format(Locale.ROOT, ", WAITING for the target for %s (%,d retries so far; why: see the warnings above)",
          Durations.human(Duration.ofMillis(now.waitingMillis)), now.retries));
    }
    long expected = 0;
    if (now.shards == 0 || now.shardsPlanned < now.shards) {
      details.append(String.format(Locale.ROOT, ", planning shards %d/%d", now.shardsPlanned, now.shards));
    } else {
      details.append(String.format(Locale.ROOT, ", slices %d/%d", now.slicesRead, now.slicesPlanned));
      if (now.luceneDocs > 0 && now.luceneDocsVisited > 0 && now.read() > 0) {
        // documents to write, estimated from the share of Lucene documents read so far (nested ones do not count)
        expected = Math.round(now.read() / Math.min(1.0, (double) now.luceneDocsVisited / now.luceneDocs));
      }
    }
    return new Reading(now.written(), expected, details.toString());
  }

  /**
   * The reading for a job on Flink, from its vertices' record counters: documents that reached the sink (not yet
   * acknowledged by the target: the final account says how many were), and once reading is done, how many there are.
   */
  Reading flinkReading(List<FlinkJobVertices.Vertex> vertices) {
    return flinkReading(vertices, -1);
  }

  /**
   * With {@code acknowledged} documents of this run's finished slices (from the progress ledger, >= 0): a backfill
   * with a ledger sends where it reads, so it has no sink step to count at, and no read count apart from it.
   */
  Reading flinkReading(List<FlinkJobVertices.Vertex> vertices, long acknowledged) {
    long finished = vertices.stream().filter(FlinkJobVertices.Vertex::finished).count();
    String tasks = String.format(Locale.ROOT, "Flink tasks %d/%d done", finished, vertices.size());
    if (acknowledged >= 0) {
      return new Reading(acknowledged, 0, "written (whole slices), " + tasks);
    }
    long sent = FlinkJobVertices.sum(vertices, "ToBulkLines", FlinkJobVertices.Vertex::readRecords);
    long read = FlinkJobVertices.sum(vertices, "ReadSlices", FlinkJobVertices.Vertex::writeRecords);
    long total = FlinkJobVertices.finished(vertices, "ReadSlices") ? read : 0;
    return new Reading(sent, total, String.format(Locale.ROOT, "sent to the target, read %,d, ", read) + tasks);
  }
}
