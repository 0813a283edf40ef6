package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.pipelines.BackfillCounters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The account of a finished backfill: per index what was read, written, failed and skipped, and the rates. */
public final class BackfillSummary {
  /** Counts for one index. */
  public static final class IndexCounts {
    public final String index;
    public long read;
    public long written;
    public long failed;
    public long noSource;
    public long nested;
    /** Documents the target holds after the run (after a refresh), -1 if unknown. */
    public long targetCount = -1;

    IndexCounts(String index) {
      this.index = index;
    }
  }

  private final String snapshot;
  private final String target;
  private final String runner;
  private final Map<String, IndexCounts> indices = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private long elapsedMillis;
  private long bytesWritten;
  private long luceneDocs;
  private Path deadLetterFile;
  private long deadLetterLines;

  BackfillSummary(String snapshot, String target, String runner, List<String> indexNames) {
    this.snapshot = snapshot;
    this.target = target;
    this.runner = runner;
    indexNames.forEach(i -> indices.put(i, new IndexCounts(i)));
  }

  void add(String counterName, long value) {
    int bar = counterName.lastIndexOf('|');
    if (bar < 0) {
      return;
    }
    IndexCounts counts = indices.computeIfAbsent(counterName.substring(0, bar), IndexCounts::new);
    BackfillCounters.Kind kind = BackfillCounters.Kind.valueOf(counterName.substring(bar + 1).toUpperCase(Locale.ROOT));
    switch (kind) {
      case READ: counts.read += value; break;
      case WRITTEN: counts.written += value; break;
      case FAILED: counts.failed += value; break;
      case NO_SOURCE: counts.noSource += value; break;
      case NESTED: counts.nested += value; break;
      default: break;
    }
  }

  void note(String note) {
    notes.add(note);
  }

  void finish(long elapsed, long bytes, long lucene, Path deadLetters, long deadLetterCount) {
    this.elapsedMillis = elapsed;
    this.bytesWritten = bytes;
    this.luceneDocs = lucene;
    this.deadLetterFile = deadLetters;
    this.deadLetterLines = deadLetterCount;
  }

  public Map<String, IndexCounts> indices() {
    return Collections.unmodifiableMap(indices);
  }

  public IndexCounts index(String name) {
    return indices.get(name);
  }

  public long read() {
    return indices.values().stream().mapToLong(c -> c.read).sum();
  }

  public long written() {
    return indices.values().stream().mapToLong(c -> c.written).sum();
  }

  public long failed() {
    return indices.values().stream().mapToLong(c -> c.failed).sum();
  }

  public long noSource() {
    return indices.values().stream().mapToLong(c -> c.noSource).sum();
  }

  public long elapsedMillis() {
    return elapsedMillis;
  }

  public Path deadLetterFile() {
    return deadLetterFile;
  }

  public long deadLetterLines() {
    return deadLetterLines;
  }

  public List<String> notes() {
    return notes;
  }

  /**
   * True when every document read was written. A run that read nothing from a snapshot holding documents, or
   * that lost any document (failed, or stored without a source), is not a success.
   */
  public boolean isSuccess() {
    boolean heldDocuments = luceneDocs > 0 || read() > 0;
    return failed() == 0 && noSource() == 0 && written() == read() && !(heldDocuments && written() == 0);
  }

  /** Why {@link #isSuccess()} is false, for people. */
  public String problem() {
    if (failed() > 0 || noSource() > 0) {
      return (failed() + noSource()) + " document(s) not delivered; see " + deadLetterFile;
    }
    if ((luceneDocs > 0 || read() > 0) && written() == 0) {
      return "the snapshot holds documents but none were written";
    }
    if (written() != read()) {
      return "read " + read() + " documents but the target acknowledged " + written();
    }
    return null;
  }

  /** The table printed at the end of a run. */
  public String render() {
    StringBuilder out = new StringBuilder();
    double seconds = elapsedMillis / 1000.0;
    out.append(String.format(Locale.ROOT, "Backfill of snapshot '%s' into %s (%s runner) finished in %.1f s%n", snapshot, target,
        runner, seconds));
    String format = "  %-32s %12s %12s %9s %10s %13s%n";
    out.append(String.format(Locale.ROOT, format, "INDEX", "READ", "WRITTEN", "FAILED", "NO_SOURCE", "TARGET_COUNT"));
    for (IndexCounts c : indices.values()) {
      out.append(String.format(Locale.ROOT, format, c.index, c.read, c.written, c.failed, c.noSource,
          c.targetCount < 0 ? "?" : Long.toString(c.targetCount)));
    }
    out.append(String.format(Locale.ROOT, format, "TOTAL", read(), written(), failed(), noSource(), ""));
    double rate = seconds > 0 ? written() / seconds : 0;
    out.append(String.format(Locale.ROOT, "  %,d documents written at %,.1f docs/s (%.2f MB/s)%n", written(), rate,
        seconds > 0 ? bytesWritten / seconds / (1 << 20) : 0));
    long nested = indices.values().stream().mapToLong(c -> c.nested).sum();
    if (nested > 0) {
      out.append(String.format(Locale.ROOT, "  %,d nested Lucene documents travelled inside their parents' sources%n", nested));
    }
    out.append("  dead-letter file: ").append(deadLetterFile).append(" (").append(deadLetterLines).append(" line(s))\n");
    for (String note : notes) {
      out.append("  note: ").append(note).append('\n');
    }
    out.append(isSuccess() ? "  result: OK, every document read was written\n" : "  result: FAILED: " + problem() + "\n");
    return out.toString();
  }
}
