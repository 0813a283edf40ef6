package io.searchmigrate.pipelines.opensearch;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: attempt n waits about initial × 2^(n-1), capped, for at most maxAttempts tries. */
public final class Backoff implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int maxAttempts;
  private final long initialMillis;
  private final long maxMillis;

  public Backoff(int maxAttempts, Duration initial, Duration max) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before retrying after failed attempt number {@code attempt} (1-based). */
  public long delayMillis(int attempt) {
    long base = Math.min(maxMillis, initialMillis << Math.min(attempt - 1, 20));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  /** Upper bound of the total time spent waiting over all retries. */
  public long worstCaseMillis() {
    long total = 0;
    for (int a = 1; a < maxAttempts; a++) {
      total += Math.min(maxMillis, initialMillis << Math.min(a - 1, 20));
    }
    return total;
  }

  void sleep(int attempt) {
    try {
      Thread.sleep(delayMillis(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
