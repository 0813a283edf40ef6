package io.searchmigrate.pipelines.opensearch;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, bounded by time rather than by a number of attempts: retry n waits about
 * initial × 2^(n-1), capped at {@code max}, until {@code giveUpAfter} has passed since the trouble began. A target in
 * a rolling restart or a long GC storm is waited for; a target that stays away ends the run with a clear error.
 */
public final class Backoff implements Serializable {
  private static final long serialVersionUID = 2L;
  private final long initialMillis;
  private final long maxMillis;
  private final long giveUpAfterMillis;

  public Backoff(Duration initial, Duration max, Duration giveUpAfter) {
    if (initial.isNegative() || max.compareTo(initial) < 0 || giveUpAfter.isNegative()) {
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max and a non-negative give-up time");
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.giveUpAfterMillis = giveUpAfter.toMillis();
  }

  /** The default: 0.5 s doubling to 30 s between tries, for at most {@code giveUpAfter}. */
  public static Backoff waitingUpTo(Duration giveUpAfter) {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), giveUpAfter);
  }

  public Duration giveUpAfter() {
    return Duration.ofMillis(giveUpAfterMillis);
  }

  /** The same waits, giving up after another time. */
  public Backoff withGiveUpAfter(Duration giveUpAfter) {
    return new Backoff(Duration.ofMillis(initialMillis), Duration.ofMillis(maxMillis), giveUpAfter);
  }

  /** The wait before retry number {@code retry} (1-based). */
  public long delayMillis(int retry) {
    long base = Math.min(maxMillis, initialMillis << Math.min(retry - 1, 20));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  /** Whether a trouble that began {@code troubledMillis} ago should still be waited out. */
  public boolean keepsWaiting(long troubledMillis) {
    return troubledMillis < giveUpAfterMillis;
  }

  /** Sleeps before retry number {@code retry}, never past the give-up time. */
  void sleep(int retry, long troubledMillis) {
    try {
      Thread.sleep(Math.max(0, Math.min(delayMillis(retry), giveUpAfterMillis - troubledMillis)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
