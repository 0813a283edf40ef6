package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a backfill records the slices it finished, so that a run started again skips them: a folder
 * ({@link ProgressLedger}, {@code --state DIR}) or an index on the target that a fleet of workers shares
 * ({@link TargetLedger}, {@code --state target}).
 *
 * <pre>{@code
 * SliceLedger ledger = ProgressLedger.at(Path.of("backfill-state/snap-1"));
 * if (ledger.claim(entry) == SnapshotIO.SliceSink.Turn.READ) { ... ledger.record(entry); }
 * }</pre>
 */
public interface SliceLedger {
  /** Where it is, for messages: a folder, or the index on the target. */
  String location();

  /** Whether any run recorded anything yet. */
  boolean exists();

  /** Every finished slice, in the order written. */
  List<ProgressLedger.Entry> entries();

  /** The keys of the finished slices. */
  default Set<String> finished() {
    Set<String> keys = new TreeSet<>();
    entries().forEach(entry -> keys.add(entry.key()));
    return keys;
  }

  /** Documents the finished slices hold. */
  default long documents() {
    return entries().stream().mapToLong(ProgressLedger.Entry::documents).sum();
  }

  /** What other run the ledger belongs to, or null when it is empty or of this snapshot (by uuid) and target. */
  String otherRun(String snapshotUuid, String target);

  /**
   * Whether this worker reads {@code slice} (its documents are 0): {@code READ}, and the slice is this worker's until it
   * is recorded or released; {@code SKIP}, finished already; {@code LATER}, another worker that is still alive is
   * reading it (ask again: it may finish it, or die and leave it).
   */
  SnapshotIO.SliceSink.Turn claim(ProgressLedger.Entry slice);

  /** A claimed slice that could not be read whole goes back (a later turn or run reads it). */
  void release(ProgressLedger.Entry slice);

  /** Records a finished slice (every document acknowledged by the target), durably when this returns. */
  void record(ProgressLedger.Entry slice);

  /** For a stopping JVM (Ctrl-C): records no more once a record being written is whole; returns how many it holds. */
  int stopRecording();

  /** How many slices the snapshot has in all, and whether the run delivered everything (the next one starts over). */
  void recordTotal(long slices, boolean complete);

  /** How many slices the snapshot has in all; -1 while no run has got that far. */
  long total();

  /** Whether the last run got to the end with every document delivered. */
  boolean complete();

  /** Forgets every finished slice (--restart). */
  void clear();
}
