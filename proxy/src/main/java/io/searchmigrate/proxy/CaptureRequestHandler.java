package io.searchmigrate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.capture.CredentialRedaction;
import io.searchmigrate.proxy.capture.CaptureSink;
import io.searchmigrate.proxy.http.Exchange;
import io.searchmigrate.proxy.http.HttpHead;
import io.searchmigrate.proxy.http.RequestPart;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Records each request part as the client sent it (unless a rule suppresses the request), then passes it on.
 *
 * <p>For a mutating request (POST, PUT, DELETE, PATCH) its capture is sent to Kafka as soon as the request
 * ends, and its last bytes wait here until Kafka acknowledges, so the source cannot apply a write that is
 * not captured. After {@code holdTimeoutMillis}, or at once when Kafka is known to be failing, the bytes
 * go on anyway and the request counts as "capture at risk". Parts behind a held one wait behind it, in order.
 */
final class CaptureRequestHandler extends ChannelInboundHandlerAdapter {
  private enum Outcome { ACKNOWLEDGED, FAILED, TIMED_OUT }

  /** A message waiting to go on; {@code ack} is set when it ends a mutating request. */
  private static final class Waiting {
    final Object message;
    final CompletableFuture<Void> ack;

    Waiting(Object message, CompletableFuture<Void> ack) {
      this.message = message;
      this.ack = ack;
    }
  }

  private final ProxyConnection connection;
  private final CaptureRules rules;
  private final CaptureSink sink;
  private final ProxyMetrics metrics;
  private final long holdTimeoutMillis;
  private final boolean captureCredentials;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private Waiting held;
  private ScheduledFuture<?> holdTimer;

  /**
   * {@code holdTimeoutMillis} of 0 or less turns holding off; unless {@code captureCredentials}, credential header
   * values are replaced in the captured copy of a head (the forwarded bytes are not touched).
   */
  CaptureRequestHandler(ProxyConnection connection, CaptureRules rules, CaptureSink sink, long holdTimeoutMillis,
      boolean captureCredentials) {
    this.captureCredentials = captureCredentials;
    this.connection = connection;
    this.rules = rules;
    this.sink = sink;
    this.metrics = connection.metrics;
    this.holdTimeoutMillis = holdTimeoutMillis;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    CompletableFuture<Void> ack = msg instanceof RequestPart part ? capture(part) : null;
    if (waiting.isEmpty() && held == null && ack == null) {
      ctx.fireChannelRead(msg);
      return;
    }
    waiting.add(new Waiting(msg, ack));
    passOn(ctx);
  }

  /** Records the part; returns the acknowledgement to wait for when it ends a captured mutating request. */
  private CompletableFuture<Void> capture(RequestPart part) {
    Exchange exchange = part.exchange();
    if (part.head() != null && rules.suppresses(part.head())) {
      exchange.suppress();
      metrics.requestsSuppressed.increment();
      connection.capture.requestSkipped(exchange.index(), exchange.method(), exchange.target(), CaptureFormat.SKIPPED_BY_RULE);
    }
    if (exchange.suppressed()) {
      return null;
    }
    if (part.head() != null && !captureCredentials && hasCredential(part.head())) {
      connection.capture.requestBytes(Unpooled.wrappedBuffer(CredentialRedaction.redactHead(ByteBufUtil.getBytes(part.bytes()))));
    } else {
      connection.capture.requestBytes(part.bytes());
    }
    if (!part.last()) {
      return null;
    }
    connection.capture.requestEnd(exchange.index(), exchange.method(), exchange.target(), exchange.mutating());
    if (!exchange.mutating()) {
      return null;
    }
    if (holdTimeoutMillis <= 0) {
      connection.capture.flush();
      return null;
    }
    return connection.capture.flushAwaited();
  }

  private static boolean hasCredential(HttpHead head) {
    for (HttpHead.Header h : head.headers()) {
      if (CredentialRedaction.isCredential(h.name())) {
        return true;
      }
    }
    return false;
  }

  /** Passes waiting messages on in order, stopping at one whose capture is not acknowledged yet. */
  private void passOn(ChannelHandlerContext ctx) {
    while (held == null && !waiting.isEmpty()) {
      Waiting next = waiting.peek();
      if (next.ack != null) {
        if (!next.ack.isDone() && sink.healthy()) {
          hold(ctx, next);
          return;
        }
        count(next);
      }
      waiting.poll();
      ctx.fireChannelRead(next.message);
    }
  }

  /** A mutating request goes on without (more) waiting: confirmed if Kafka has acknowledged it, else at risk. */
  private void count(Waiting w) {
    if (w.ack.isDone() && !w.ack.isCompletedExceptionally()) {
      metrics.captureConfirmed.increment();
    } else {
      metrics.captureAtRisk.increment();
    }
  }

  private void hold(ChannelHandlerContext ctx, Waiting waitingFor) {
    held = waitingFor;
    connection.holding(true);
    holdTimer = ctx.executor().schedule(() -> release(ctx, waitingFor, Outcome.TIMED_OUT), holdTimeoutMillis, TimeUnit.MILLISECONDS);
    waitingFor.ack.whenComplete((ok, error) -> ctx.executor().execute(
        () -> release(ctx, waitingFor, error == null ? Outcome.ACKNOWLEDGED : Outcome.FAILED)));
  }

  private void release(ChannelHandlerContext ctx, Waiting waitingFor, Outcome outcome) {
    if (held != waitingFor) {
      return; // released already (acknowledged, timed out or the client left)
    }
    held = null;
    holdTimer.cancel(false);
    if (outcome == Outcome.ACKNOWLEDGED) {
      metrics.captureConfirmed.increment();
    } else {
      metrics.captureAtRisk.increment();
      if (outcome == Outcome.TIMED_OUT) {
        sink.markUnhealthy();
      }
    }
    waiting.poll();
    ctx.fireChannelRead(waitingFor.message);
    passOn(ctx);
    connection.holding(held != null);
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // the client left: what it sent (and what was captured) still goes to the source, without waiting
    Waiting wasHeld = held;
    if (wasHeld != null) {
      holdTimer.cancel(false);
      held = null;
    }
    for (Waiting w; (w = waiting.poll()) != null; ) {
      if (w.ack != null) {
        count(w);
      }
      ctx.fireChannelRead(w.message);
    }
    ctx.fireChannelReadComplete();
    ctx.fireChannelInactive();
  }
}
