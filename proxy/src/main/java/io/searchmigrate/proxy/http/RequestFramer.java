package io.searchmigrate.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Cuts the client's byte stream into {@link RequestPart}s at HTTP/1.1 message boundaries (keep-alive,
 * pipelining, Content-Length and chunked bodies), without copying bodies. Bytes that do not frame as a
 * request become one {@link RequestRejected} and the connection stops reading. A head must be complete
 * within {@code headTimeoutMillis} of its first byte (slow clients get 408).
 */
public final class RequestFramer extends ChannelInboundHandlerAdapter {
  private final HeadAccumulator heads;
  private final BodyFramer body;
  private final long headTimeoutMillis;
  private final Consumer<Exchange> onRequest;
  private Exchange current;
  private int nextIndex;
  private boolean rejected;
  private ScheduledFuture<?> headDeadline;

  /** {@code onRequest} hears of each request when its head is complete, before the head moves on. */
  public RequestFramer(int maxHeadBytes, long headTimeoutMillis, Consumer<Exchange> onRequest) {
    this.heads = new HeadAccumulator(maxHeadBytes);
    this.body = new BodyFramer(maxHeadBytes);
    this.headTimeoutMillis = headTimeoutMillis;
    this.onRequest = onRequest;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      while (in.isReadable() && !rejected) {
        if (current == null) {
          if (!readHead(ctx, in)) {
            break;
          }
        } else {
          int n = body.scan(in);
          boolean last = body.done();
          RequestPart part = new RequestPart(current, null, in.retainedSlice(in.readerIndex(), n), last);
          in.skipBytes(n);
          if (last) {
            current = null;
          }
          ctx.fireChannelRead(part);
        }
      }
    } catch (HttpFramingException e) {
      reject(ctx, e.status(), e.getMessage());
    } finally {
      ReferenceCountUtil.release(in);
    }
  }

  /** Reads (the rest of) a head; returns false when more bytes are needed. */
  private boolean readHead(ChannelHandlerContext ctx, ByteBuf in) throws HttpFramingException {
    if (headDeadline == null && headTimeoutMillis > 0) {
      headDeadline = ctx.executor().schedule(() -> reject(ctx, 408, "request head not complete within "
          + headTimeoutMillis + " ms"), headTimeoutMillis, TimeUnit.MILLISECONDS);
    }
    ByteBuf raw = heads.take(in, ctx.alloc());
    if (raw == null) {
      return false;
    }
    cancelDeadline();
    HttpHead head;
    long length;
    try {
      head = HttpHead.parseRequest(raw);
      length = head.bodyLength(true);
    } catch (HttpFramingException e) {
      raw.release();
      throw e;
    }
    Exchange exchange = new Exchange(nextIndex++, head.first(), head.second());
    body.start(length == -1 ? 0 : length); // a request without a length has no body
    boolean last = body.done();
    current = last ? null : exchange;
    onRequest.accept(exchange);
    ctx.fireChannelRead(new RequestPart(exchange, head, raw, last));
    return true;
  }

  private void reject(ChannelHandlerContext ctx, int status, String reason) {
    if (rejected) {
      return;
    }
    rejected = true;
    cancelDeadline();
    heads.release();
    ctx.channel().config().setAutoRead(false);
    ctx.fireChannelRead(new RequestRejected(status, reason, current != null));
    ctx.fireChannelReadComplete();
  }

  private void cancelDeadline() {
    if (headDeadline != null) {
      headDeadline.cancel(false);
      headDeadline = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelDeadline();
    heads.release();
    ctx.fireChannelInactive();
  }
}
