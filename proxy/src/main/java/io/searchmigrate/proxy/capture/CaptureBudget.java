package io.searchmigrate.proxy.capture;

import io.searchmigrate.proxy.ProxyMetrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --capture-buffer} bound on capture memory, shared by every connection's record in the making and every
 * record waiting for Kafka's answer. Whatever does not fit is dropped and counted (a line is logged at most every
 * 10 s); clients are served all the same.
 *
 * <pre>{@code
 * CaptureBudget budget = new CaptureBudget(64L << 20, metrics);
 * if (budget.reserveBuilding(4096)) { ... budget.releaseBuilding(4096); } else { budget.dropped(bytes); }
 * }</pre>
 */
public final class CaptureBudget {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureBudget.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final long limit;
  private final ProxyMetrics metrics;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong lastDropLogNanos = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
  private final AtomicLong droppedSinceLog = new AtomicLong();

  public CaptureBudget(long limitBytes, ProxyMetrics metrics) {
    this.limit = limitBytes;
    this.metrics = metrics;
  }

  /** No bound (tests of the record writer alone). */
  public static CaptureBudget unlimited() {
    return new CaptureBudget(Long.MAX_VALUE, new ProxyMetrics());
  }

  public long limit() {
    return limit;
  }

  /** Room for a record waiting for Kafka; false (nothing reserved) when it would exceed the bound. */
  boolean reserveWaiting(long bytes) {
    return reserve(bytes, metrics.captureBufferedBytes);
  }

  void releaseWaiting(long bytes) {
    release(bytes, metrics.captureBufferedBytes);
  }

  /** Room for a connection's record in the making to grow; false (nothing reserved) when it would exceed the bound. */
  boolean reserveBuilding(long bytes) {
    return reserve(bytes, metrics.captureBuildingBytes);
  }

  void releaseBuilding(long bytes) {
    release(bytes, metrics.captureBuildingBytes);
  }

  /** Reserves {@code bytes} and adds them to {@code gauge} (the metric of what holds them), if the bound allows. */
  private boolean reserve(long bytes, AtomicLong gauge) {
    long now = used.addAndGet(bytes);
    if (now > limit) {
      used.addAndGet(-bytes);
      return false;
    }
    gauge.addAndGet(bytes);
    metrics.captureMemoryPeakBytes.accumulateAndGet(now, Math::max);
    return true;
  }

  private void release(long bytes, AtomicLong gauge) {
    gauge.addAndGet(-bytes);
    used.addAndGet(-bytes);
  }

  /** A record (or the part of one a connection had built) did not fit: counted, and logged now and then. */
  void dropped(long bytes) {
    metrics.captureRecordsDropped.increment();
    metrics.captureBytesDropped.add(bytes);
    droppedSinceLog.incrementAndGet();
    long now = System.nanoTime();
    long last = lastDropLogNanos.get();
    if (now - last >= LOG_EVERY_NANOS && lastDropLogNanos.compareAndSet(last, now)) {
      LOG.warn("dropping capture records: {} bytes wait for Kafka and {} are being built by connections (bound {}); {} records "
          + "dropped since the last report, {} in total. Clients are still served (writes refused under --on-capture-failure "
          + "reject); capture resumes when there is room again", metrics.captureBufferedBytes.get(), metrics.captureBuildingBytes.get(),
          limit, droppedSinceLog.getAndSet(0), metrics.captureRecordsDropped.sum());
    }
  }
}
