package io.searchmigrate.pipelines.snapshot;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many slices one read keeps in progress at once in this JVM. The DirectRunner has no back-pressure: it starts
 * every element it has, so a read of thousands of slices, each handing over a hundred documents per turn, would hold
 * thousands of turns in memory; a slice beyond the limit waits its turn instead. Flink back-pressures by itself and
 * runs one slice per slot, under the limit. A slice counts from its first turn until its last one, or its failure.
 */
final class SlicesInProgress {
  private static final Map<String, Set<ShardSlice>> BY_READ = new ConcurrentHashMap<>();
  private static final Map<String, Set<ShardSlice>> WAITING = new ConcurrentHashMap<>();
  /** Waiting slices look again about this often, all together, whatever their number. */
  private static final int LOOKS_PER_SECOND = 40;

  private SlicesInProgress() {}

  /** Whether {@code slice} of the read {@code readId} may go on: it is in progress already, or a place is free. */
  static boolean enter(String readId, ShardSlice slice, int limit) {
    Set<ShardSlice> inProgress = BY_READ.computeIfAbsent(readId, id -> new HashSet<>());
    Set<ShardSlice> waiting = WAITING.computeIfAbsent(readId, id -> new HashSet<>());
    synchronized (inProgress) {
      boolean goesOn = inProgress.contains(slice) || inProgress.size() < limit && inProgress.add(slice);
      if (goesOn) {
        waiting.remove(slice);
      } else {
        waiting.add(slice);
      }
      return goesOn;
    }
  }

  /** How long a slice that may not go on waits before it asks again: longer the more slices wait. */
  static long waitMillis(String readId) {
    Set<ShardSlice> inProgress = BY_READ.get(readId);
    Set<ShardSlice> waiting = WAITING.get(readId);
    if (inProgress == null || waiting == null) {
      return 50;
    }
    synchronized (inProgress) {
      return Math.max(50, Math.min(30_000, waiting.size() * 1000L / LOOKS_PER_SECOND));
    }
  }

  /** The slice is done (read to its end, or failed): its place goes to a waiting one. */
  static void leave(String readId, ShardSlice slice) {
    Set<ShardSlice> inProgress = BY_READ.get(readId);
    if (inProgress != null) {
      synchronized (inProgress) {
        inProgress.remove(slice);
      }
    }
  }

  /** Slices of the read in progress now (for tests). */
  static int count(String readId) {
    Set<ShardSlice> inProgress = BY_READ.get(readId);
    if (inProgress == null) {
      return 0;
    }
    synchronized (inProgress) {
      return inProgress.size();
    }
  }
}
