package io.searchmigrate.console;

import io.searchmigrate.pipelines.BackfillProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints a backfill's progress every few seconds: documents/s, MB/s, shards done, percent and ETA. */
final class ProgressPrinter implements AutoCloseable {
  private final PrintWriter err;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "progress");
    t.setDaemon(true);
    return t;
  });
  private final long startNanos = System.nanoTime();
  private long lastWritten;
  private long lastBytes;
  private long lastNanos = startNanos;

  ProgressPrinter(PrintWriter err) {
    this.err = err;
  }

  void start(BackfillProgress progress, int everySeconds) {
    timer.scheduleAtFixedRate(() -> print(progress), everySeconds, everySeconds, TimeUnit.SECONDS);
  }

  private void print(BackfillProgress p) {
    long now = System.nanoTime();
    double interval = Math.max(1e-3, (now - lastNanos) / 1e9);
    double elapsed = (now - startNanos) / 1e9;
    long written = p.documentsWritten();
    long bytes = p.bytesWritten();
    double docsPerSecond = (written - lastWritten) / interval;
    double mbPerSecond = (bytes - lastBytes) / interval / (1 << 20);
    lastWritten = written;
    lastBytes = bytes;
    lastNanos = now;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "[backfill %4.0fs] written %,d (%,.0f docs/s, %.1f MB/s), read %,d, failed %,d, shards %d/%d done",
        elapsed, written, docsPerSecond, mbPerSecond, p.documentsRead(), p.documentsFailed(), p.shardsDone(), p.shardsTotal()));
    if (p.shardsPlanned() < p.shardsTotal()) {
      line.append(String.format(Locale.ROOT, ", planning %d/%d", p.shardsPlanned(), p.shardsTotal()));
    } else if (p.luceneDocsTotal() > 0) {
      double fraction = Math.min(1.0, (double) p.luceneDocsVisited() / p.luceneDocsTotal());
      line.append(String.format(Locale.ROOT, ", %.0f%%", fraction * 100));
      if (fraction > 0.01 && fraction < 1.0) {
        line.append(String.format(Locale.ROOT, ", ETA %.0fs", elapsed / fraction - elapsed));
      }
    }
    err.println(line);
    err.flush();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
