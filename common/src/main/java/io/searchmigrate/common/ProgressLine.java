package io.searchmigrate.common;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The one progress line of every long command (backfill, snapshot create --wait, generate-data, validation, replay):
 * on a terminal one line rewritten in place (carriage return), elsewhere a plain line every few seconds so that logs
 * stay readable. Count, rate, and where a total is known, percent and ETA, then what the command adds.
 *
 * <pre>{@code
 * ProgressLine progress = ProgressLine.on(err, "generate-data").withTotal(100_000);
 * progress.update(done);                  // as often as you like: shown when due
 * progress.finish(done);                  // the last reading, always shown
 * }</pre>
 *
 * <p>A line reads {@code [generate-data   12s] 40,000 of 100,000 docs (3,500 docs/s), 40%, ETA 18s, <details>}:
 * the rate is since the previous line shown, the ETA from the average rate so far (steadier). Messages printed while
 * a line is shown go through {@link #message(String)}, so that they do not land in the middle of it. Thread-safe.
 */
public final class ProgressLine {
  /** {@code MIGRATE_PROGRESS=lines} asks for plain lines even on a terminal (and {@code =terminal} for the opposite). */
  public static final String MODE_ENV = "MIGRATE_PROGRESS";
  private static final long TERMINAL_EVERY_NANOS = 250_000_000L;

  private final String label;
  private final String unit;
  private final boolean bytes;
  private final long total;
  private final boolean terminal;
  private final long everyNanos;
  private final PrintWriter writer;
  private final Consumer<String> lines;
  private final LongSupplier clock;
  private final long started;
  private long shownAt;
  private long shownDone;
  private boolean shownOnce;
  private int inPlaceLength; // > 0 while an unfinished in-place line is on the terminal

  private ProgressLine(String label, String unit, boolean bytes, long total, boolean terminal, long everyNanos,
      PrintWriter writer, Consumer<String> lines, LongSupplier clock, long started) {
    this.label = label;
    this.unit = unit;
    this.bytes = bytes;
    this.total = total;
    this.terminal = terminal && writer != null;
    this.everyNanos = everyNanos;
    this.writer = writer;
    this.lines = lines;
    this.clock = clock;
    this.started = started;
  }

  /** Progress written to {@code out}: in place when it is a terminal, plain lines every 5 s otherwise. */
  public static ProgressLine on(PrintWriter out, String label) {
    return new ProgressLine(label, "docs", false, 0, isTerminal(System.getenv(MODE_ENV), System.console() != null,
        System.getenv("TERM")), 5_000_000_000L, out, null, System::nanoTime, System.nanoTime());
  }

  /** Progress as whole lines handed to {@code lines} (a log): never in place. */
  public static ProgressLine toLines(Consumer<String> lines, String label) {
    return new ProgressLine(label, "docs", false, 0, false, 5_000_000_000L, null, lines, System::nanoTime, System.nanoTime());
  }

  /** Whether progress is drawn in place: asked for, else a console that is not a dumb terminal. */
  static boolean isTerminal(String mode, boolean console, String term) {
    if ("lines".equals(mode) || "terminal".equals(mode)) {
      return "terminal".equals(mode);
    }
    return console && term != null && !term.isEmpty() && !"dumb".equals(term);
  }

  /** What is counted, for the count and the rate ("docs", "requests"); the default is "docs". */
  public ProgressLine counting(String unit) {
    return new ProgressLine(label, unit, false, total, terminal, everyNanos, writer, lines, clock, started);
  }

  /** Counts bytes, shown as KB/MB/GB. */
  public ProgressLine countingBytes() {
    return new ProgressLine(label, "", true, total, terminal, everyNanos, writer, lines, clock, started);
  }

  /** How many there are in all, for percent and ETA (0: not known). {@link #update(long, long, String)} may revise it. */
  public ProgressLine withTotal(long total) {
    return new ProgressLine(label, unit, bytes, total, terminal, everyNanos, writer, lines, clock, started);
  }

  /** How often a plain line is written when not on a terminal (default 5 s). */
  public ProgressLine every(java.time.Duration every) {
    return new ProgressLine(label, unit, bytes, total, terminal, Math.max(1, every.toNanos()), writer, lines, clock, started);
  }

  /** For tests: in place or not, and the clock (nanoseconds) the line reads; the run starts at the clock's first reading. */
  public ProgressLine withTerminal(boolean terminal, LongSupplier clock) {
    return new ProgressLine(label, unit, bytes, total, terminal, everyNanos, writer, lines, clock, clock.getAsLong());
  }

  public boolean isTerminal() {
    return terminal;
  }

  /** A new reading: shown if due (every 250 ms on a terminal, every {@link #every} otherwise). */
  public void update(long done) {
    update(done, total, null);
  }

  /**
   * A new reading with the total as now known ({@code total <= 0}: not known) and what the command adds (may be
   * null); shown if due. Returns whether it was shown.
   */
  public synchronized boolean update(long done, long total, String details) {
    long now = clock.getAsLong();
    if (shownOnce && now - shownAt < (terminal ? TERMINAL_EVERY_NANOS : everyNanos)) {
      return false;
    }
    show(render(done, total, details, now), false);
    return true;
  }

  /** The last reading, always shown; a terminal's line is ended, so what follows starts on a line of its own. */
  public void finish(long done) {
    finish(done, total, null);
  }

  public synchronized void finish(long done, long total, String details) {
    show(render(done, total, details, clock.getAsLong()), true);
  }

  /** A whole line of something else (a warning, a step), printed above the progress line instead of into it. */
  public synchronized void message(String text) {
    if (writer == null) {
      lines.accept(text);
      return;
    }
    if (inPlaceLength > 0) {
      writer.print("\r" + pad(text, inPlaceLength) + "\n");
      inPlaceLength = 0;
    } else {
      writer.println(text);
    }
    writer.flush();
  }

  /** The line for this reading at {@code now} (and it becomes the previous reading the next rate is counted from). */
  String render(long done, long total, String details, long now) {
    double elapsed = Math.max(0, (now - started) / 1e9);
    double interval = (now - (shownOnce ? shownAt : started)) / 1e9;
    double rate = interval > 1e-3 ? (done - (shownOnce ? shownDone : 0)) / interval : 0;
    shownAt = now;
    shownDone = done;
    shownOnce = true;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%s %4.0fs] %s", label, elapsed, amount(done)));
    if (total > 0) {
      line.append(" of ").append(amount(total));
    }
    if (!bytes && !unit.isEmpty()) {
      line.append(' ').append(unit);
    }
    line.append(" (").append(bytes ? bytes(Math.round(Math.max(0, rate))) + "/s" : String.format(Locale.ROOT, "%,.0f %s/s",
        Math.max(0, rate), unit)).append(')');
    if (total > 0) {
      double fraction = Math.min(1.0, Math.max(0, (double) done / total));
      line.append(String.format(Locale.ROOT, ", %.0f%%", Math.floor(fraction * 100)));
      if (fraction > 0.01 && fraction < 1.0 && elapsed > 0) {
        line.append(", ETA ").append(Durations.human(java.time.Duration.ofMillis(Math.round((elapsed / fraction - elapsed) * 1000))));
      }
    }
    if (details != null && !details.isEmpty()) {
      line.append(", ").append(details);
    }
    return line.toString();
  }

  private void show(String line, boolean last) {
    if (writer == null) {
      lines.accept(line);
      return;
    }
    if (terminal) {
      writer.print("\r" + pad(line, inPlaceLength) + (last ? "\n" : ""));
      inPlaceLength = last ? 0 : Math.max(line.length(), inPlaceLength); // what the screen shows, padding included
    } else {
      writer.println(line);
    }
    writer.flush();
  }

  /** Spaces after {@code text} up to the length of the line it overwrites. */
  private static String pad(String text, int previous) {
    return text.length() >= previous ? text : text + " ".repeat(previous - text.length());
  }

  private String amount(long n) {
    return bytes ? bytes(n) : String.format(Locale.ROOT, "%,d", n);
  }

  /** A byte count as people read it: 512 B, 12.3 KB, 4.0 MB, 1.2 GB. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
