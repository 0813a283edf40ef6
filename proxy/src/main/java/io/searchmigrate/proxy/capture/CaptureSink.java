package io.searchmigrate.proxy.capture;

import java.util.concurrent.CompletableFuture;

/** Where finished capture records go. Never blocks the caller: it runs on a proxy event loop. */
public interface CaptureSink extends AutoCloseable {
  /**
   * Queues one record (key = connection id). The future completes when the record is durably stored, or
   * exceptionally when it was dropped or failed; records with the same key are stored in submission order.
   * {@code awaited} says a client request waits for this acknowledgement: the sink sends it without delay.
   */
  CompletableFuture<Void> submit(byte[] key, byte[] value, boolean awaited);

  /** True once the sink can store records (for Kafka: the producer has the topic's metadata). */
  default boolean ready() {
    return true;
  }

  /** False after a record failed or an acknowledgement was overdue, until an acknowledgement arrives again. */
  boolean healthy();

  /** An acknowledgement was overdue: treat the store as unavailable until one arrives. */
  void markUnhealthy();

  /** Stores what is queued, waiting at most {@code timeoutMillis}, then releases resources. */
  void close(long timeoutMillis);

  @Override
  default void close() {
    close(10_000);
  }
}
