package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.common.Durations;
import io.searchmigrate.pipelines.runners.FlinkJobVertices;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Turns successive readings of a running backfill into progress lines: documents/s, MB/s, slices read, percent and
 * ETA, from its Beam metrics ({@link BackfillCounts}) or, on Flink, from its tasks' record counters.
 */
final class BackfillProgress {
  private final long startNanos;
  private long lastNanos;
  private long lastWritten;
  private long lastBytes;

  BackfillProgress(long startNanos) {
    this.startNanos = startNanos;
    this.lastNanos = startNanos;
  }

  /** The line for this reading; rates are since the previous reading. */
  String line(BackfillCounts now, long nowNanos) {
    double interval = Math.max(1e-3, (nowNanos - lastNanos) / 1e9);
    double elapsed = (nowNanos - startNanos) / 1e9;
    long written = now.written();
    long bytes = now.bytesWritten();
    double docsPerSecond = (written - lastWritten) / interval;
    double mbPerSecond = (bytes - lastBytes) / interval / (1 << 20);
    lastNanos = nowNanos;
    lastWritten = written;
    lastBytes = bytes;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "[backfill %4.0fs] written %,d (%,.0f docs/s, %.1f MB/s), read %,d, failed %,d", elapsed, written, docsPerSecond,
        mbPerSecond, now.read(), now.failed() + now.noSource()));
    if (now.deleted() > 0 || now.segmentsSkipped() > 0) { // a delta: shards are read whole, one by one
      line.append(String.format(Locale.ROOT, ", deleted %,d, segments skipped %,d", now.deleted(), now.segmentsSkipped()));
    }
    if (now.waitingMillis > 0) {
      line.append(String.format(Locale.ROOT, ", WAITING for the target for %s (%,d retries so far; why: see the warnings above)",
          Durations.human(Duration.ofMillis(now.waitingMillis)), now.retries));
    }
    if (now.shards == 0 || now.shardsPlanned < now.shards) {
      line.append(String.format(Locale.ROOT, ", planning shards %d/%d", now.shardsPlanned, now.shards));
    } else {
      line.append(String.format(Locale.ROOT, ", slices %d/%d", now.slicesRead, now.slicesPlanned));
      if (now.luceneDocs > 0 && now.luceneDocsVisited > 0 && now.read() > 0) {
        // documents to write, estimated from the share of Lucene documents read so far (nested ones do not count)
        double expected = now.read() / Math.min(1.0, (double) now.luceneDocsVisited / now.luceneDocs);
        appendPercent(line, now.written() / expected, elapsed);
      }
    }
    return line.toString();
  }

  /**
   * The line for a job on Flink, from its vertices' record counters: documents that reached the sink (not yet
   * acknowledged by the target: the final account says how many were), and once reading is done, how many there are.
   */
  String flinkLine(List<FlinkJobVertices.Vertex> vertices, long nowNanos) {
    return flinkLine(vertices, nowNanos, -1);
  }

  /**
   * With {@code acknowledged} documents of this run's finished slices (from the progress ledger, >= 0): a backfill
   * with a ledger sends where it reads, so it has no sink step to count at.
   */
  String flinkLine(List<FlinkJobVertices.Vertex> vertices, long nowNanos, long acknowledged) {
    double interval = Math.max(1e-3, (nowNanos - lastNanos) / 1e9);
    double elapsed = (nowNanos - startNanos) / 1e9;
    long sent = acknowledged >= 0 ? acknowledged
        : FlinkJobVertices.sum(vertices, "ToBulkLines", FlinkJobVertices.Vertex::readRecords);
    long read = FlinkJobVertices.sum(vertices, "ReadSlices", FlinkJobVertices.Vertex::writeRecords);
    double docsPerSecond = (sent - lastWritten) / interval;
    lastNanos = nowNanos;
    lastWritten = sent;
    StringBuilder line = new StringBuilder(acknowledged >= 0
        // documents go to the target where they are read: there is no read count apart from the written one
        ? String.format(Locale.ROOT, "[backfill %4.0fs] written (whole slices) %,d (%,.0f docs/s)", elapsed, sent, docsPerSecond)
        : String.format(Locale.ROOT, "[backfill %4.0fs] sent to the target %,d (%,.0f docs/s), read %,d", elapsed, sent,
            docsPerSecond, read));
    long tasks = vertices.size();
    long finished = vertices.stream().filter(FlinkJobVertices.Vertex::finished).count();
    line.append(String.format(Locale.ROOT, ", Flink tasks %d/%d done", finished, tasks));
    if (FlinkJobVertices.finished(vertices, "ReadSlices") && read > 0) {
      appendPercent(line, (double) sent / read, elapsed);
    }
    return line.toString();
  }

  private static void appendPercent(StringBuilder line, double fraction, double elapsed) {
    fraction = Math.min(1.0, fraction);
    line.append(String.format(Locale.ROOT, ", %.0f%%", fraction * 100));
    if (fraction > 0.01 && fraction < 1.0) {
      line.append(String.format(Locale.ROOT, ", ETA %.0fs", elapsed / fraction - elapsed));
    }
  }
}
