package io.searchmigrate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.searchmigrate.proxy.http.RequestPart;

/**
 * Sets the configured headers on each request head on its way upstream (after capture saw the original): the
 * source's ({@code --set-header}) or the target's ({@code --target-set-header}, {@code --target-user}), by where the
 * request is routed.
 */
final class HeaderRewriter extends ChannelInboundHandlerAdapter {
  private final CaptureRules sourceRules;
  private final CaptureRules targetRules;

  HeaderRewriter(CaptureRules sourceRules, CaptureRules targetRules) {
    this.sourceRules = sourceRules;
    this.targetRules = targetRules;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestPart part && part.head() != null) {
      CaptureRules rules = part.exchange().toTarget() ? targetRules : sourceRules;
      if (rules.setsHeaders()) {
        part.replaceBytes(rules.rewrite(part.bytes(), ctx.alloc()));
      }
    }
    ctx.fireChannelRead(msg);
  }
}
