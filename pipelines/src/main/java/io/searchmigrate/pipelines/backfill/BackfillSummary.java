package io.searchmigrate.pipelines.backfill;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The account of a finished backfill: per index what was read, written, failed and skipped, and the rates. */
public final class BackfillSummary {
  private final String snapshot;
  private final String target;
  private final String runner;
  private final List<String> rows;
  private final BackfillCounts counts;
  private final List<String> notes = new ArrayList<>();
  private String detachedJob;
  private long elapsedMillis;
  private String deadLetterFile;
  private long deadLetterLines;
  private String previousSnapshot;
  private String ledger;
  private final java.util.Map<String, String> partialSource = new java.util.TreeMap<>();
  /** Indices whose mapping types were merged into one: documents of different types may share an _id there. */
  private final java.util.Set<String> mergedTypes = new java.util.TreeSet<>();

  /**
   * @param rows the indices to show, in order: the selected source indices, then target indices of other names
   */
  BackfillSummary(String snapshot, String target, String runner, List<String> rows, BackfillCounts counts) {
    this.snapshot = snapshot;
    this.target = target;
    this.runner = runner;
    this.rows = List.copyOf(rows);
    this.counts = counts;
    rows.forEach(counts::index);
  }

  /** Says that this index's mapping types were merged into one target index (--multi-type merge). */
  void mergedTypes(String index) {
    mergedTypes.add(index);
  }

  /** A run submitted to a Flink cluster without waiting for it ({@code --detach}): nothing to count yet. */
  static BackfillSummary detached(String snapshot, String target, String runner, String jobId) {
    BackfillSummary summary = new BackfillSummary(snapshot, target, runner, List.of(), new BackfillCounts());
    summary.detachedJob = jobId;
    return summary;
  }

  /** The Flink job id of a detached submission, else null. */
  public String detachedJob() {
    return detachedJob;
  }

  /** Marks a delta: only what changed since {@code previous} was read. */
  void since(String previous) {
    this.previousSnapshot = previous;
  }

  /** The progress ledger this run recorded its finished slices in (where the same command resumes from). */
  void ledger(String location) {
    this.ledger = location;
  }

  void note(String note) {
    notes.add(note);
  }

  /** Marks an index whose documents were copied with a filtered _source (accepted by the user). */
  void partialSource(String index, String filter) {
    partialSource.put(index, filter);
  }

  /** @param deadLetters the dead-letter file, or null when nothing failed (then none was written) */
  void finish(long elapsed, Path deadLetters, long deadLetterCount) {
    finish(elapsed, deadLetters == null ? null : deadLetters.toString(), deadLetterCount);
  }

  /** @param deadLetters where the dead letters are (a file, an S3 folder), or null when nothing failed */
  void finish(long elapsed, String deadLetters, long deadLetterCount) {
    this.elapsedMillis = elapsed;
    this.deadLetterFile = deadLetters;
    this.deadLetterLines = deadLetterCount;
  }

  public BackfillCounts counts() {
    return counts;
  }

  public BackfillCounts.IndexCounts index(String name) {
    return counts.indices().get(name);
  }

  public long read() {
    return counts.read();
  }

  public long written() {
    return counts.written();
  }

  public long failed() {
    return counts.failed();
  }

  public long noSource() {
    return counts.noSource();
  }

  public long elapsedMillis() {
    return elapsedMillis;
  }

  /** The dead-letter file or S3 folder, or null when every document was delivered (nothing is written then). */
  public String deadLetterFile() {
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
    return problem() == null;
  }

  /** Why {@link #isSuccess()} is false, for people; null when it is true. */
  public String problem() {
    if (detachedJob != null) {
      return null;
    }
    List<String> problems = new ArrayList<>();
    if (counts.shardsFailed() > 0) {
      problems.add(counts.shardsFailed() + " shard(s) or part(s) of shards could not be read (named in " + deadLetterFile + ")");
    }
    if (failed() > 0 || noSource() > 0) {
      problems.add((failed() + noSource()) + " document(s) not delivered; see " + deadLetterFile);
    }
    if ((counts.luceneDocs() > 0 || read() > 0) && written() == 0 && counts.slicesSkipped() == 0) {
      problems.add("the snapshot holds documents but none were written");
    } else if (written() != read() && failed() + noSource() + counts.shardsFailed() == 0) {
      problems.add("read " + read() + " documents but the target acknowledged " + written());
    }
    for (String row : rows) {
      BackfillCounts.IndexCounts c = counts.indices().get(row);
      if (c.written > 0 && c.targetCount < 0) {
        problems.add("index '" + row + "': the target could not count its documents, so the " + c.written + " acknowledged "
            + "cannot be confirmed");
      } else if (c.targetCount >= 0 && c.targetCount < c.written) {
        problems.add("index '" + row + "': the target counts " + c.targetCount + " document(s) but acknowledged " + c.written
            + (mergedTypes.contains(row) ? ": its mapping types were merged (--multi-type merge), so documents of different "
                + "types with the same _id became one; --multi-type split keeps each type in an index of its own"
                : " (something between here and the target answered for it?)"));
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  /** The table printed at the end of a run. */
  public String render() {
    StringBuilder out = new StringBuilder();
    if (detachedJob != null) {
      return String.format(Locale.ROOT, "Backfill of snapshot '%s' into %s submitted to Flink (%s) as job %s, not waited for.%n"
          + "  follow it: ./migrate flink jobs --flink-master MASTER (or its web UI); stop it: ./migrate flink cancel %s "
          + "--flink-master MASTER%n  re-running the same backfill once it finished accounts for every document%n",
          snapshot, target, runner, detachedJob, detachedJob);
    }
    double seconds = elapsedMillis / 1000.0;
    out.append(String.format(Locale.ROOT, "Backfill of snapshot '%s'%s into %s (%s) finished in %.1f s%n", snapshot,
        previousSnapshot == null ? "" : " since '" + previousSnapshot + "'", target, runner, seconds));
    String format = "  %-32s %12s %12s %9s %10s %13s%n";
    out.append(String.format(Locale.ROOT, format, "INDEX", "READ", "WRITTEN", "FAILED", "NO_SOURCE", "TARGET_COUNT"));
    for (String row : rows) {
      BackfillCounts.IndexCounts c = counts.indices().get(row);
      out.append(String.format(Locale.ROOT, format, c.index, c.read, c.written, c.failed, c.noSource,
          c.targetCount < 0 ? "?" : Long.toString(c.targetCount)));
    }
    out.append(String.format(Locale.ROOT, format, "TOTAL", read(), written(), failed(), noSource(), ""));
    double rate = seconds > 0 ? written() / seconds : 0;
    out.append(String.format(Locale.ROOT, "  %,d documents written at %,.1f docs/s (%.2f MB/s)%n", written(), rate,
        seconds > 0 ? counts.bytesWritten() / seconds / (1 << 20) : 0));
    if (previousSnapshot != null) {
      out.append(String.format(Locale.ROOT, "  delta since '%s': %,d segment(s) unchanged and not read, %,d read; %,d document(s) "
          + "indexed (new or changed), %,d deleted%n", previousSnapshot, counts.segmentsSkipped(), counts.segmentsRead(), written(),
          counts.deleted()));
    }
    if (counts.nested() > 0) {
      out.append(String.format(Locale.ROOT, "  %,d nested Lucene documents travelled inside their parents' sources%n",
          counts.nested()));
    }
    if (deadLetterFile != null) {
      out.append("  dead-letter file: ").append(deadLetterFile).append(" (").append(deadLetterLines).append(" line(s))\n");
    } else {
      out.append("  dead letters: none (no file written)\n");
    }
    if (counts.retries > 0) {
      out.append(String.format(Locale.ROOT, "  the target was away or answered out of turn %,d time(s); every such request was "
          + "retried%n", counts.retries));
    }
    partialSource.forEach((index, filter) -> out.append("  PARTIAL: index '").append(index).append("' filters _source (")
        .append(filter).append("): its documents carry only what the snapshot stored (--accept-partial-source)\n"));
    if (ledger != null) {
      out.append("  progress ledger: ").append(ledger).append('\n');
    }
    for (String note : notes) {
      out.append("  note: ").append(note).append('\n');
    }
    out.append(isSuccess() ? "  result: OK, every document read was written\n" : "  result: FAILED: " + problem() + "\n");
    return out.toString();
  }
}
