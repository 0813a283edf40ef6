package io.searchmigrate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.searchmigrate.proxy.http.RequestPart;

/** Sets the configured headers on each request head on its way to the source (after capture saw the original). */
final class HeaderRewriter extends ChannelInboundHandlerAdapter {
  private final CaptureRules rules;

  HeaderRewriter(CaptureRules rules) {
    this.rules = rules;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestPart part && part.head() != null) {
      part.replaceBytes(rules.rewrite(part.bytes(), ctx.alloc()));
    }
    ctx.fireChannelRead(msg);
  }
}
