package io.searchmigrate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.capture.CredentialRedaction;
import io.searchmigrate.proxy.capture.CaptureSink;
import io.searchmigrate.proxy.capture.KafkaCaptureSink;
import io.searchmigrate.proxy.http.Exchange;
import io.searchmigrate.proxy.http.RequestPart;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Records each request part as the client sent it (unless a rule suppresses the request), then passes it on.
 *
 * <p>For a mutating request (see {@link Exchange#isMutating}) its capture is sent to Kafka as soon as the request
 * ends, and its last bytes wait here until Kafka acknowledges every record since the previous write, so the source
 * cannot apply a write that is not captured. When Kafka fails to acknowledge within {@code holdTimeoutMillis}, fails,
 * the capture buffer is full, or at once while Kafka is known to be failing: with {@code rejectUncaptured} the
 * last bytes are never forwarded and the client gets 503 ({@link ProxyConnection#captureNotAcknowledged}); otherwise
 * they go on anyway and the request counts as "capture at risk". Parts behind a held one wait behind it, in order.
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
  private final boolean rejectUncaptured;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private Waiting held;
  private ScheduledFuture<?> holdTimer;
  /** A write was refused: nothing more this client sent goes on (its connection closes after the 503). */
  private boolean refusing;

  /**
   * {@code holdTimeoutMillis} of 0 or less turns holding off; unless {@code captureCredentials}, credential header
   * values are replaced in the captured copy of a head (the forwarded bytes are not touched); with
   * {@code rejectUncaptured} a write whose capture is not acknowledged is answered 503 instead of forwarded.
   */
  CaptureRequestHandler(ProxyConnection connection, CaptureRules rules, CaptureSink sink, long holdTimeoutMillis,
      boolean captureCredentials, boolean rejectUncaptured) {
    this.captureCredentials = captureCredentials;
    this.rejectUncaptured = rejectUncaptured;
    this.connection = connection;
    this.rules = rules;
    this.sink = sink;
    this.metrics = connection.metrics;
    this.holdTimeoutMillis = holdTimeoutMillis;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refusing) {
      discard(msg);
      return;
    }
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
    if (part.head() != null && exchange.toTarget()) {
      // switched over: the target has it first hand, there is nothing to replay
      exchange.suppress();
      connection.capture.requestSkipped(exchange.index(), exchange.method(), exchange.target(), CaptureFormat.SKIPPED_SENT_TO_TARGET);
    } else if (part.head() != null && rules.suppresses(part.head())) {
      exchange.suppress();
      metrics.requestsSuppressed.increment();
      connection.capture.requestSkipped(exchange.index(), exchange.method(), exchange.target(), CaptureFormat.SKIPPED_BY_RULE);
    }
    if (exchange.suppressed()) {
      return null;
    }
    if (part.head() != null && !captureCredentials && part.head().hasCredentialHeader()) {
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

  /** Passes waiting messages on in order, stopping at one whose capture is not acknowledged yet. */
  private void passOn(ChannelHandlerContext ctx) {
    while (held == null && !waiting.isEmpty()) {
      Waiting next = waiting.peek();
      if (next.ack != null) {
        if (!next.ack.isDone() && sink.healthy()) {
          hold(ctx, next);
          return;
        }
        if (rejectUncaptured && !acknowledged(next)) {
          refuse(next, next.ack.isDone() ? failure(next.ack) : "Kafka is not acknowledging captures");
          return;
        }
        count(next);
      }
      waiting.poll();
      ctx.fireChannelRead(next.message);
    }
  }

  private static boolean acknowledged(Waiting w) {
    return w.ack.isDone() && !w.ack.isCompletedExceptionally();
  }

  /** Why a capture failed, for the client's 503 and the capture's ERROR observation. */
  private static String failure(CompletableFuture<Void> ack) {
    try {
      ack.join();
      return "acknowledged";
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return cause instanceof KafkaCaptureSink.CaptureDroppedException ? cause.getMessage() : "Kafka did not store it: " + cause;
    }
  }

  /** A mutating request goes on without (more) waiting: confirmed if Kafka has acknowledged it, else at risk. */
  private void count(Waiting w) {
    if (acknowledged(w)) {
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
    if (outcome == Outcome.TIMED_OUT) {
      sink.markUnhealthy();
    }
    if (outcome == Outcome.ACKNOWLEDGED) {
      metrics.captureConfirmed.increment();
    } else if (rejectUncaptured) {
      refuse(waitingFor, outcome == Outcome.TIMED_OUT
          ? "Kafka did not acknowledge its capture within " + holdTimeoutMillis + " ms" : failure(waitingFor.ack));
      return;
    } else {
      metrics.captureAtRisk.increment();
    }
    waiting.poll();
    ctx.fireChannelRead(waitingFor.message);
    passOn(ctx);
    connection.holding(held != null);
    ctx.fireChannelReadComplete();
  }

  /**
   * Fail-closed: the write at the head of {@code waiting} is not acknowledged. Neither its held last bytes nor
   * anything behind it goes on; the connection answers 503 and closes.
   */
  private void refuse(Waiting write, String reason) {
    refusing = true;
    metrics.captureRejected.increment();
    for (Waiting w; (w = waiting.poll()) != null; ) {
      discard(w.message);
    }
    connection.captureNotAcknowledged(((RequestPart) write.message).exchange(), reason);
  }

  private static void discard(Object msg) {
    if (msg instanceof RequestPart part) {
      part.bytes().release();
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Waiting wasHeld = held;
    if (wasHeld != null) {
      holdTimer.cancel(false);
      held = null;
    }
    if (rejectUncaptured && wasHeld != null && !acknowledged(wasHeld)) {
      // the client left while its write waited for Kafka: without an acknowledgement the write must not complete
      refusing = true;
      metrics.captureRejected.increment();
      connection.capture.error("request " + ((RequestPart) wasHeld.message).exchange().index()
          + " not forwarded: the client left before Kafka acknowledged its capture");
      for (Waiting w; (w = waiting.poll()) != null; ) {
        discard(w.message);
      }
    }
    // the client left: what it sent (and what was captured) still goes to the source, without waiting
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
