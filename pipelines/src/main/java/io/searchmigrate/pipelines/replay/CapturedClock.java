package io.searchmigrate.pipelines.replay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The captured clock of one replay run laid onto the wall clock of this process: the first request the process is
 * to send is due now, and every later one its captured distance from that first one later (divided by the speedup),
 * whatever its connection. A request reached late (the target was slow, the runner paused) is due at once and the
 * ones after it keep their own times, so a delay is caught up instead of being passed on to every later request of
 * its connection, as a schedule of gaps after the previous request would.
 *
 * <p>All workers of a run in one process share its clock (a run is named by {@code run}, the id its pipeline was
 * built with), so connections that move between worker threads keep one schedule.
 *
 * <pre>{@code
 * CapturedClock clock = CapturedClock.of(runId, 2.0);
 * long due = clock.dueMillis(request.requestStartMicros(), System.currentTimeMillis());
 * }</pre>
 */
final class CapturedClock {
  /** One entry per run started in this process (two numbers each: small enough to keep for the process's life). */
  private static final Map<String, CapturedClock> RUNS = new ConcurrentHashMap<>();

  /**
   * With a backlog, how long (wall time, whatever the speedup) after the first request asked about the backlog's
   * earliest request is due: the reader meets the backlog's partitions side by side, not in captured order, and a
   * request may begin a little before its record is written; during this head start requests are only put in their
   * chains, so the reader goes on to the other partitions.
   */
  static final long BACKLOG_HEAD_START_MILLIS = 5_000;
  /** A first request captured this long after the backlog's start does not start the clock at the backlog's start. */
  static final long BACKLOG_WINDOW_MICROS = 60_000_000;
  private final double speedup;
  /** The backlog's earliest capture time when known beforehand, else 0. */
  private final long backlogStartMicros;
  private long firstCapturedMicros;
  private long headStartEndsMillis;
  private long firstDueMillis;
  private boolean started;

  private CapturedClock(double speedup, long backlogStartMicros) {
    this.speedup = speedup;
    this.backlogStartMicros = backlogStartMicros;
  }

  /**
   * The clock of {@code run} in this process; captured gaps are divided by {@code speedup} (above 0). With
   * {@code backlogStartMicros} above 0 (the earliest capture time waiting on the topic), that time is due a head start
   * after the first request asked about, and the backlog's requests after it in their captured order, whichever
   * partition the reader reaches first; with 0, the first request asked about is due at once.
   */
  static CapturedClock of(String run, double speedup, long backlogStartMicros) {
    if (!(speedup > 0)) {
      throw new IllegalArgumentException("a captured clock needs a speedup above 0, was " + speedup);
    }
    return RUNS.computeIfAbsent(run, ignored -> new CapturedClock(speedup, backlogStartMicros));
  }

  /** A clock of its own, for tests. */
  static CapturedClock startingFresh(double speedup) {
    return new CapturedClock(speedup, 0);
  }

  /** A clock of its own for a backlog that starts at a known capture time, for tests. */
  static CapturedClock withBacklogFrom(double speedup, long backlogStartMicros) {
    return new CapturedClock(speedup, backlogStartMicros);
  }

  /**
   * When (wall millis) the request captured at {@code capturedMicros} is due; earlier than {@code nowMillis} when it
   * is late. The first request asked about starts the clock.
   */
  synchronized long dueMillis(long capturedMicros, long nowMillis) {
    if (!started) {
      started = true;
      // a first request far past the backlog's start is a task started again (elsewhere) late in the run: its clock
      // starts at that request, as it would without a backlog, instead of waiting out everything replayed before it
      boolean backlog = backlogStartMicros > 0 && capturedMicros - backlogStartMicros <= BACKLOG_WINDOW_MICROS;
      firstCapturedMicros = backlog ? backlogStartMicros : capturedMicros;
      firstDueMillis = backlog ? nowMillis + BACKLOG_HEAD_START_MILLIS : nowMillis;
      headStartEndsMillis = firstDueMillis;
    }
    return due(capturedMicros);
  }

  /** True from the first request asked about until the backlog's earliest request is due. */
  synchronized boolean inHeadStart(long nowMillis) {
    return started && nowMillis < headStartEndsMillis;
  }

  private long due(long capturedMicros) {
    return firstDueMillis + (long) ((capturedMicros - firstCapturedMicros) / 1000.0 / speedup);
  }
}
