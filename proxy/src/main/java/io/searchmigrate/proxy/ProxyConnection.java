package io.searchmigrate.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.proxy.capture.ConnectionCapture;
import io.searchmigrate.proxy.http.Exchange;
import io.searchmigrate.proxy.http.RequestPart;
import io.searchmigrate.proxy.http.RequestRejected;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and the upstream connection that serves it (to the source, or to the target once switched
 * over): the state both pipelines share, and the decisions that need both (when to read, when to close, how to
 * answer a rejected request, when to move upstream). Touched only on the one event loop both channels run on.
 */
final class ProxyConnection {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyConnection.class);
  /**
   * How long finished observations that nobody waits for may gather before they are stored. One Kafka record
   * per request costs the producer and the broker more CPU than Elasticsearch spends answering a GET; so a busy
   * connection sends one record per write or per 100 ms. A held write stores everything before it at once.
   */
  static final long CAPTURE_LINGER_MILLIS = 100;
  final String id;
  final Channel frontend;
  final ConnectionCapture capture;
  final ProxyMetrics metrics;
  /** Requests forwarded (or being forwarded) whose response has not ended yet, oldest first. */
  final ArrayDeque<Exchange> awaiting = new ArrayDeque<>();
  private final ProxyServer server;
  private Channel backend;
  /** Where {@link #backend} leads (or the connection being opened will lead). */
  private boolean backendToTarget;
  /** Request parts routed to the other cluster, waiting until the requests before them are answered. */
  private final ArrayDeque<RequestPart> moving = new ArrayDeque<>();
  private boolean connecting = true;
  private boolean holding;
  private boolean draining;
  private boolean closed;
  /** The proxy is closing this connection: an upstream connection that opens now must not get the waiting requests. */
  private boolean closing;
  private RequestRejected pendingReject;
  private ScheduledFuture<?> captureTimer;
  private long lastResponseNanos = System.nanoTime();

  ProxyConnection(String id, Channel frontend, ConnectionCapture capture, ProxyServer server) {
    this.id = id;
    this.frontend = frontend;
    this.capture = capture;
    this.server = server;
    this.metrics = server.metrics();
  }

  void backendConnected(Channel channel, boolean toTarget) {
    connecting = false;
    if (closed || closing) {
      channel.close(); // the client left (or is being let go) while the upstream connection was being set up
      return;
    }
    this.backend = channel;
    this.backendToTarget = toTarget;
    forwardMoved();
    updateFrontendReading();
  }

  /**
   * Writes a request part upstream. A request routed to the other cluster than the upstream connection leads to (the
   * proxy was switched since that connection opened) waits, with everything behind it, until the requests before it
   * are answered; then the upstream connection is closed and one to the other cluster takes its place. So each
   * request goes where the mode said at its arrival, is sent once, and the client keeps its connection.
   */
  void forward(RequestPart part) {
    if (!moving.isEmpty() || connecting || (part.head() != null && part.exchange().toTarget() != backendToTarget)) {
      moving.add(part);
      updateFrontendReading();
      moveWhenAnswered();
      return;
    }
    write(part);
  }

  private void write(RequestPart part) {
    if (backend != null && backend.isActive()) {
      metrics.requestBytes.add(part.bytes().readableBytes());
      backend.write(part.bytes(), backend.voidPromise());
    } else {
      part.bytes().release();
    }
  }

  /** Moves upstream once the oldest waiting part's request is the oldest unanswered one. */
  private void moveWhenAnswered() {
    RequestPart next = moving.peek();
    if (next == null || connecting || closed || awaiting.peek() != next.exchange()) {
      return;
    }
    Channel old = backend;
    backend = null;
    connecting = true;
    if (old != null) {
      old.close(); // its relay sees it is no longer this connection's upstream and leaves the client alone
    }
    server.connectUpstream(this, next.exchange().toTarget());
  }

  /** Writes the parts that waited for the new upstream connection, up to one routed elsewhere again. */
  private void forwardMoved() {
    boolean wrote = false;
    for (RequestPart part; (part = moving.peek()) != null; ) {
      if (part.head() != null && part.exchange().toTarget() != backendToTarget) {
        moveWhenAnswered();
        break;
      }
      moving.poll();
      write(part);
      wrote = true;
    }
    if (wrote) {
      backend.flush();
    }
  }

  /** Requests not answered yet, {@code [to the source, to the target]}. */
  int[] inFlight() {
    int[] n = new int[2];
    for (Exchange e : awaiting) {
      n[e.toTarget() ? 1 : 0]++;
    }
    return n;
  }

  /** True when {@code channel} is the current upstream connection (not one left behind by a move). */
  boolean isUpstream(Channel channel) {
    return channel == backend;
  }

  Channel backend() {
    return backend;
  }

  void requestStarted(Exchange exchange) {
    exchange.routeToTarget(server.onTarget());
    awaiting.add(exchange);
    metrics.requests.increment();
    if (exchange.mutating()) {
      metrics.mutatingRequests.increment();
    }
    if (exchange.toTarget()) {
      metrics.requestsToTarget.increment();
      if (exchange.mutating()) {
        metrics.mutatingRequestsToTarget.increment();
      }
    }
  }

  /** The capture stage holds the last bytes of a request until Kafka acknowledges it: read nothing more meanwhile. */
  void holding(boolean on) {
    holding = on;
    updateFrontendReading();
  }

  /** Reads from the client only while the source can take more bytes and nothing stops the flow. */
  void updateFrontendReading() {
    boolean read = backend != null && backend.isActive() && backend.isWritable() && !holding && pendingReject == null && !closed
        && moving.isEmpty();
    if (frontend.config().isAutoRead() != read) {
      frontend.config().setAutoRead(read);
    }
  }

  /** Reads from the source only while the client can take more bytes. */
  void updateBackendReading() {
    if (backend != null && backend.config().isAutoRead() != frontend.isWritable()) {
      backend.config().setAutoRead(frontend.isWritable());
    }
  }

  /** Stores the capture gathered so far within {@link #CAPTURE_LINGER_MILLIS}, unless something stores it sooner. */
  void storeCaptureSoon() {
    if (captureTimer == null || captureTimer.isDone()) {
      captureTimer = frontend.eventLoop().schedule(() -> {
        captureTimer = null;
        capture.flushAndRelease();
      }, CAPTURE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** A response ended; answers a rejected request or finishes a drain once nothing is outstanding. */
  void responseCompleted() {
    lastResponseNanos = System.nanoTime();
    if (!awaiting.isEmpty()) {
      moveWhenAnswered();
      return;
    }
    if (pendingReject != null) {
      answerAndClose(pendingReject.status(), pendingReject.reason());
    } else if (draining) {
      closeByProxy();
    }
  }

  /** The client sent something that will not be forwarded. Earlier pipelined requests still get their answers. */
  void reject(RequestRejected rejected) {
    metrics.badRequests.increment();
    capture.error("request rejected by the proxy: " + rejected.status() + " " + rejected.reason());
    if (rejected.midRequest()) {
      // the source has part of this request and waits for the rest: that connection is beyond repair
      awaiting.pollLast();
      if (awaiting.isEmpty()) {
        answerAndClose(rejected.status(), rejected.reason());
      } else {
        closeByProxy();
      }
    } else if (awaiting.isEmpty()) {
      answerAndClose(rejected.status(), rejected.reason());
    } else {
      pendingReject = rejected;
      updateFrontendReading();
    }
  }

  /**
   * Fail-closed (--on-capture-failure reject): the write {@code refused} was held back because Kafka did not
   * acknowledge its capture. Its last bytes never reach the source, so the source never has the whole request; the
   * client gets 503 with Retry-After once the answers to the requests before it are out, then both connections
   * close (the source drops the partial request). The capture records an ERROR and no response for it, so replay
   * skips it as incomplete.
   */
  void captureNotAcknowledged(Exchange refused, String reason) {
    capture.error("request " + refused.index() + " withheld from the source: " + reason);
    if (awaiting.contains(refused)) {
      // it and the pipelined requests read behind it never reached the source whole: no answer will come for them
      while (awaiting.pollLast() != refused) {
        // dropped
      }
    }
    String answer = "the capture proxy did not forward this request because its capture could not be stored in Kafka ("
        + reason + "); the source did not apply it. Retry later";
    if (awaiting.isEmpty()) {
      answerAndClose(503, answer);
    } else {
      pendingReject = new RequestRejected(503, answer, true);
      updateFrontendReading();
    }
  }

  /** The source or the target (named by {@code cluster}) cannot be reached: 502, and the connection closes. */
  void upstreamUnreachable(String cluster, Throwable cause) {
    connecting = false;
    (cluster.equals("target") ? metrics.targetConnectFailures : metrics.sourceConnectFailures).increment();
    String reason = cause == null ? "unknown" : cause.getMessage() != null ? cause.getMessage() : cause.toString();
    LOG.warn("connection {}: cannot connect to the {}: {}", id, cluster, reason);
    capture.error("cannot connect to the " + cluster + ": " + reason);
    answerAndClose(502, "the proxy cannot reach the " + cluster + ": " + reason);
  }

  /** Graceful shutdown: close once the requests in flight are answered. */
  void drain() {
    draining = true;
    if (awaiting.isEmpty()) {
      closeByProxy();
    }
  }

  /** The client sent nothing for the idle timeout: close the connection unless a request is in flight or was just answered. */
  void idle() {
    if (awaiting.isEmpty() && System.nanoTime() - lastResponseNanos >= server.idleTimeoutNanos()) {
      closeByProxy();
    }
  }

  void frontendClosed() {
    capture.close(CaptureFormat.CLOSED_BY_CLIENT);
    closeOnFlush(backend);
    // the client left before these requests could move upstream: nobody is there to answer them
    for (RequestPart part; (part = moving.poll()) != null; ) {
      part.bytes().release();
    }
    finished();
  }

  void backendClosed() {
    capture.close(CaptureFormat.CLOSED_BY_SOURCE);
    closeOnFlush(frontend);
  }

  void failed(String message) {
    capture.error(message);
    closeByProxy();
  }

  void closeByProxy() {
    closing = true;
    capture.close(CaptureFormat.CLOSED_BY_PROXY);
    closeOnFlush(frontend);
    closeOnFlush(backend);
  }

  /** Answers the client and closes both sides; the answer is queued before the source side closes (which may fail writes). */
  private void answerAndClose(int status, String reason) {
    closing = true;
    capture.close(CaptureFormat.CLOSED_BY_PROXY);
    byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reasonPhrase(status) + "\r\ncontent-type: text/plain; charset=UTF-8\r\n"
        + "content-length: " + body.length + "\r\n" + (status == 503 ? "retry-after: 1\r\n" : "") + "connection: close\r\n\r\n";
    if (frontend.isActive()) {
      frontend.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.ISO_8859_1), body))
          .addListener(ChannelFutureListener.CLOSE);
    }
    closeQuietly(backend);
  }

  private void finished() {
    if (!closed) {
      closed = true;
      metrics.connectionsActive.decrementAndGet();
      server.connectionClosed(this);
    }
  }

  /** Resets, broken pipes and failed TLS handshakes happen all day on a busy proxy: not worth a warning each. */
  static boolean isRoutine(Throwable cause) {
    return cause instanceof IOException || cause.getCause() instanceof SSLException;
  }

  private static void closeOnFlush(Channel channel) {
    if (channel != null && channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void closeQuietly(Channel channel) {
    if (channel != null) {
      channel.close();
    }
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 408 -> "Request Timeout";
      case 431 -> "Request Header Fields Too Large";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Error";
    };
  }
}
