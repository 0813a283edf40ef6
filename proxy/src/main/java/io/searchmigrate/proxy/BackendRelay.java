package io.searchmigrate.proxy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.searchmigrate.capture.CredentialRedaction;
import io.searchmigrate.proxy.http.Exchange;
import io.searchmigrate.proxy.http.ResponsePart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the source's pipeline: records each response part (unless its request was suppressed; credential
 * headers such as Set-Cookie redacted in the captured copy) and writes it to the client unchanged. A finished response is stored with the connection's next record
 * (see {@link ProxyConnection#storeCaptureSoon()}).
 */
final class BackendRelay extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(BackendRelay.class);

  private final ProxyConnection connection;
  private final boolean captureCredentials;

  /** Unless {@code captureCredentials}, credential headers (Set-Cookie, ...) read a marker in the captured copy of heads. */
  BackendRelay(ProxyConnection connection, boolean captureCredentials) {
    this.connection = connection;
    this.captureCredentials = captureCredentials;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ResponsePart part)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!connection.isUpstream(ctx.channel())) {
      // a connection left behind by a move upstream has answered all its requests: anything more is not the client's
      part.bytes().release();
      return;
    }
    Exchange exchange = part.exchange();
    boolean captured = connection.capture.isRecording() && (exchange == null || !exchange.suppressed());
    boolean ends = part.last() && exchange != null;
    if (captured) {
      if (part.head() != null && !captureCredentials && part.head().hasCredentialHeader()) {
        connection.capture.responseBytes(Unpooled.wrappedBuffer(CredentialRedaction.redactHead(ByteBufUtil.getBytes(part.bytes()))));
      } else {
        connection.capture.responseBytes(part.bytes());
      }
    }
    if (ends) {
      connection.metrics.responses.increment();
      if (captured) {
        connection.capture.responseEnd(exchange.index(), part.status());
        connection.storeCaptureSoon();
      }
    }
    connection.metrics.responseBytes.add(part.bytes().readableBytes());
    connection.frontend.write(part.bytes(), connection.frontend.voidPromise());
    if (ends) {
      connection.responseCompleted();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!connection.isUpstream(ctx.channel())) {
      return;
    }
    connection.frontend.flush();
    connection.updateBackendReading();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    connection.updateFrontendReading(); // harmless for a connection left behind: reading follows the current upstream
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (connection.isUpstream(ctx.channel())) {
      connection.backendClosed();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!connection.isUpstream(ctx.channel())) {
      ctx.close(); // left behind by a move upstream: its trouble is not the client's
      return;
    }
    if (ProxyConnection.isRoutine(cause)) {
      LOG.debug("source connection of {}: {}", connection.id, cause.toString());
    } else {
      LOG.warn("source connection of {}: {}", connection.id, cause.toString());
    }
    connection.failed("source connection failed: " + cause);
  }
}
