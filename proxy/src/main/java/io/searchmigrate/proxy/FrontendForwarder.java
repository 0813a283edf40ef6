package io.searchmigrate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.searchmigrate.proxy.http.RequestPart;
import io.searchmigrate.proxy.http.RequestRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the client's pipeline: hands request bytes to the connection to write upstream (flushing once per read
 * burst), and rejections, idleness and closes to the connection.
 */
final class FrontendForwarder extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FrontendForwarder.class);

  private final ProxyConnection connection;
  private boolean unflushed;

  FrontendForwarder(ProxyConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestPart part) {
      connection.forward(part);
      unflushed = true;
    } else if (msg instanceof RequestRejected rejected) {
      connection.reject(rejected);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (unflushed) {
      unflushed = false;
      if (connection.backend() != null) {
        connection.backend().flush();
      }
    }
    connection.updateFrontendReading();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    connection.updateBackendReading();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      connection.idle();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.frontendClosed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (ProxyConnection.isRoutine(cause)) {
      LOG.debug("client connection {}: {}", connection.id, cause.toString());
    } else {
      LOG.warn("client connection {}: {}", connection.id, cause.toString());
    }
    connection.failed("client connection failed: " + cause);
  }
}
