package io.searchmigrate.proxy.capture;

import java.util.concurrent.CompletableFuture;

/** Drops every record at once (--no-capture): the proxy then only forwards. For diagnosis and measurement. */
public final class DiscardingSink implements CaptureSink {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  @Override
  public CompletableFuture<Void> submit(byte[] key, byte[] value, boolean awaited) {
    return DONE;
  }

  @Override
  public boolean healthy() {
    return true;
  }

  @Override
  public void markUnhealthy() {}

  @Override
  public void close(long timeoutMillis) {}
}
