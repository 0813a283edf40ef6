package io.searchmigrate.console;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress of a long command: one line updated in place on a terminal, plain lines every few seconds otherwise
 * (so logs stay readable), and a summary line at the end. Counts, rate, percent and ETA.
 *
 * <pre>{@code
 * Progress progress = new Progress("generate-data", total, err);
 * progress.advance(1000);
 * progress.done();
 * }</pre>
 */
final class Progress {
  private static final long TERMINAL_EVERY_NANOS = 200_000_000L;
  private static final long LOG_EVERY_NANOS = 5_000_000_000L;
  private final String label;
  private final long total;
  private final PrintWriter err;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private long done;
  private long lastShown;

  Progress(String label, long total, PrintWriter err) {
    this(label, total, err, System.console() != null);
  }

  Progress(String label, long total, PrintWriter err, boolean terminal) {
    this.label = label;
    this.total = total;
    this.err = err;
    this.terminal = terminal;
  }

  void advance(long n) {
    done += n;
    long now = System.nanoTime();
    if (now - lastShown >= (terminal ? TERMINAL_EVERY_NANOS : LOG_EVERY_NANOS)) {
      lastShown = now;
      err.print(terminal ? "\r" + line(now) : line(now) + "\n");
      err.flush();
    }
  }

  void done() {
    double seconds = (System.nanoTime() - started) / 1e9;
    err.print((terminal ? "\r" : "") + String.format(Locale.ROOT, "[%s] %,d of %,d done in %.1f s (%,.0f/s)%n", label, done, total,
        seconds, seconds > 0 ? done / seconds : 0));
    err.flush();
  }

  String line(long nowNanos) {
    double seconds = Math.max(1e-3, (nowNanos - started) / 1e9);
    double rate = done / seconds;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%s %4.0fs] %,d of %,d (%,.0f/s)", label, seconds, done,
        total, rate));
    if (total > 0) {
      double fraction = Math.min(1.0, (double) done / total);
      line.append(String.format(Locale.ROOT, ", %.0f%%", fraction * 100));
      if (fraction > 0 && fraction < 1 && rate > 0) {
        line.append(String.format(Locale.ROOT, ", ETA %.0fs", (total - done) / rate));
      }
    }
    return line.toString();
  }
}
