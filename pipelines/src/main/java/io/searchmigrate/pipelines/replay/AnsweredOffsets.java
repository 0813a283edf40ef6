package io.searchmigrate.pipelines.replay;

import java.io.Serializable;
import java.util.TreeSet;

/**
 * One partition's commit point for the replay: the offset below which every capture record was read and is done with
 * (its requests answered by the target or dead-lettered). Records are done out of order (connections run
 * concurrently, a slow request holds its records), so the point advances only over a contiguous run of done offsets.
 * An offset that was never read while later ones were (a transaction marker, a compacted record) is skipped once it
 * has been missing for the gap patience: the reader reads a partition in order, so it will not come.
 *
 * <pre>{@code
 * AnsweredOffsets partition = new AnsweredOffsets(committed, 30_000);
 * partition.add(TopicPositions.read(offsets), now); ... partition.add(TopicPositions.done(offsets), now);
 * long commit = partition.commitPoint(now); // commit this offset to the consumer group
 * }</pre>
 */
final class AnsweredOffsets implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long UNKNOWN = -1;

  private final long gapPatienceMillis;
  private long next;
  private final TreeSet<Long> read = new TreeSet<>();
  private final TreeSet<Long> done = new TreeSet<>();
  private long gapSinceMillis = UNKNOWN;

  /** @param start the offset reading began at (the group's committed offset), or -1 to begin at the first one seen */
  AnsweredOffsets(long start, long gapPatienceMillis) {
    this.next = start;
    this.gapPatienceMillis = gapPatienceMillis;
  }

  /** Offsets read (or, with {@code done}, done with) together: one bundle's worth. */
  void add(TopicPositions positions, long nowMillis) {
    long[] offsets = positions.offsets();
    if (!positions.doneWith() && offsets.length > 0) {
      begin(offsets[0]); // ascending, and a partition's reads come in order: its first offset is where reading began
    }
    for (long offset : offsets) {
      if (next == UNKNOWN || offset >= next) {
        (positions.doneWith() ? done : read).add(offset);
      }
    }
    advance(nowMillis);
  }

  /** Every offset below this one is done with: what to commit. */
  long commitPoint(long nowMillis) {
    advance(nowMillis);
    return next;
  }

  /** Nothing read or done above the commit point: committing it is all there is to do. */
  boolean settled() {
    return read.isEmpty() && done.isEmpty();
  }

  /** Records read and not yet done with. */
  int inFlight() {
    int n = 0;
    for (long offset : read) {
      if (!done.contains(offset)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Where reading began, when not known from the start: the first offset read (a record may be done with before its
   * read position comes, the two taking different ways through the runner, so only a read says where reading began).
   */
  private void begin(long offset) {
    if (next == UNKNOWN) {
      next = offset;
      done.headSet(offset).clear();
    }
  }

  private void advance(long nowMillis) {
    if (next == UNKNOWN) {
      return;
    }
    while (true) {
      if (done.remove(next)) {
        read.remove(next);
        next++;
        gapSinceMillis = UNKNOWN;
        continue;
      }
      if (read.contains(next)) {
        return; // read and still being replayed
      }
      Long later = lowestAbove(next);
      if (later == null) {
        gapSinceMillis = UNKNOWN;
        return;
      }
      if (gapSinceMillis == UNKNOWN) {
        gapSinceMillis = nowMillis;
      }
      if (gapPatienceMillis == Long.MAX_VALUE || nowMillis - gapSinceMillis < gapPatienceMillis) {
        return;
      }
      next = later; // never read while later records were: there is no record at these offsets
      gapSinceMillis = UNKNOWN;
    }
  }

  private Long lowestAbove(long offset) {
    Long r = read.higher(offset);
    Long d = done.higher(offset);
    if (r == null || d == null) {
      return r == null ? d : r;
    }
    return Math.min(r, d);
  }
}
