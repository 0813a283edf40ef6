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

  private final double speedup;
  private long firstCapturedMicros;
  private long firstDueMillis;
  private boolean started;

  private CapturedClock(double speedup) {
    this.speedup = speedup;
  }

  /** The clock of {@code run} in this process; captured gaps are divided by {@code speedup} (above 0). */
  static CapturedClock of(String run, double speedup) {
    if (!(speedup > 0)) {
      throw new IllegalArgumentException("a captured clock needs a speedup above 0, was " + speedup);
    }
    return RUNS.computeIfAbsent(run, ignored -> new CapturedClock(speedup));
  }

  /** A clock of its own, for tests. */
  static CapturedClock startingFresh(double speedup) {
    return new CapturedClock(speedup);
  }

  /**
   * When (wall millis) the request captured at {@code capturedMicros} is due; earlier than {@code nowMillis} when it
   * is late. The first request asked about starts the clock.
   */
  synchronized long dueMillis(long capturedMicros, long nowMillis) {
    if (!started) {
      started = true;
      firstCapturedMicros = capturedMicros;
      firstDueMillis = nowMillis;
    }
    return firstDueMillis + (long) ((capturedMicros - firstCapturedMicros) / 1000.0 / speedup);
  }
}
