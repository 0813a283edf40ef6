package io.searchmigrate.pipelines.backfill;

import java.util.Locale;

/**
 * Turns successive readings of a backfill's metrics into progress lines: documents/s, MB/s, slices read, percent
 * and ETA. Reads only {@link BackfillCounts}, so it works for a job on any runner whose metrics can be read while it
 * runs.
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
    StringBuilder line = new StringBuilder(now.acknowledged
        ? String.format(Locale.ROOT, "[backfill %4.0fs] written %,d (%,.0f docs/s, %.1f MB/s), read %,d, failed %,d", elapsed,
            written, docsPerSecond, mbPerSecond, now.read(), now.failed() + now.noSource())
        : String.format(Locale.ROOT, "[backfill %4.0fs] sent %,d (%,.0f docs/s), read %,d, failed %,d", elapsed, written,
            docsPerSecond, now.read(), now.failed()));
    if (now.shards == 0 || now.shardsPlanned < now.shards) {
      line.append(String.format(Locale.ROOT, ", planning shards %d/%d", now.shardsPlanned, now.shards));
    } else {
      line.append(String.format(Locale.ROOT, ", slices %d/%d", now.slicesRead, now.slicesPlanned));
      double fraction = now.luceneDocs > 0 ? (double) now.luceneDocsVisited / now.luceneDocs
          : now.slicesPlanned > 0 ? (double) now.slicesRead / now.slicesPlanned : -1;
      if (fraction >= 0) {
        fraction = Math.min(1.0, fraction);
        line.append(String.format(Locale.ROOT, ", %.0f%%", fraction * 100));
        if (fraction > 0.01 && fraction < 1.0) {
          line.append(String.format(Locale.ROOT, ", ETA %.0fs", elapsed / fraction - elapsed));
        }
      }
    }
    return line.toString();
  }
}
