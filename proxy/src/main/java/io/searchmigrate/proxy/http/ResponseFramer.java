package io.searchmigrate.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the source's byte stream into {@link ResponsePart}s and matches each response to its request, in
 * order ({@code awaiting} holds the requests sent and not yet answered). Knows the cases where a response
 * has no body (HEAD, 1xx, 204, 304) and that 1xx responses are interim. If the source's bytes stop framing
 * as HTTP, the rest of the connection is passed on unframed: the proxy never alters what the source said.
 */
public final class ResponseFramer extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseFramer.class);

  private final Queue<Exchange> awaiting;
  private final HeadAccumulator heads;
  private final BodyFramer body;
  private boolean inBody;
  private boolean unframed;
  private Exchange current;
  private int status;

  public ResponseFramer(Queue<Exchange> awaiting, int maxHeadBytes) {
    this.awaiting = awaiting;
    this.heads = new HeadAccumulator(maxHeadBytes);
    this.body = new BodyFramer(maxHeadBytes);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      while (in.isReadable()) {
        if (unframed) {
          ctx.fireChannelRead(new ResponsePart(null, null, in.retainedSlice(), false, 0));
          in.skipBytes(in.readableBytes());
        } else if (!inBody) {
          readHead(ctx, in);
        } else {
          int n = body.scan(in);
          ResponsePart part = new ResponsePart(current, null, in.retainedSlice(in.readerIndex(), n), body.done(), status);
          in.skipBytes(n);
          if (body.done()) {
            finish();
          }
          ctx.fireChannelRead(part);
        }
      }
    } catch (HttpFramingException e) {
      LOG.warn("the source's response does not frame as HTTP ({}); passing the rest of this connection on unframed", e.getMessage());
      unframed = true;
      heads.release();
      if (in.isReadable()) {
        ctx.fireChannelRead(new ResponsePart(null, null, in.retainedSlice(), false, 0));
      }
    } finally {
      ReferenceCountUtil.release(in);
    }
  }

  private void readHead(ChannelHandlerContext ctx, ByteBuf in) throws HttpFramingException {
    ByteBuf raw = heads.take(in, ctx.alloc());
    if (raw == null) {
      return;
    }
    HttpHead head;
    try {
      head = HttpHead.parseResponse(raw);
    } catch (HttpFramingException e) {
      unframed = true;
      ctx.fireChannelRead(new ResponsePart(null, null, raw, false, 0));
      throw e;
    }
    current = awaiting.peek();
    status = Integer.parseInt(head.second());
    if (status == 101 || (current != null && current.method().equals("CONNECT") && status / 100 == 2)) {
      // a tunnel from here on: nothing more to frame
      awaiting.poll();
      unframed = true;
      ctx.fireChannelRead(new ResponsePart(current, head, raw, true, status));
      return;
    }
    if (status / 100 == 1) {
      ctx.fireChannelRead(new ResponsePart(current, head, raw, false, status)); // interim: the final response follows
      return;
    }
    boolean noBody = status == 204 || status == 304 || (current != null && current.method().equals("HEAD"));
    long length = noBody ? 0 : head.bodyLength(false);
    body.start(length == -1 ? HttpHead.UNTIL_CLOSE : length);
    boolean last = body.done();
    Exchange exchange = current;
    if (last) {
      finish();
    } else {
      inBody = true;
    }
    ctx.fireChannelRead(new ResponsePart(exchange, head, raw, last, status));
  }

  private void finish() {
    if (current != null) {
      awaiting.poll();
    }
    inBody = false;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    heads.release();
    if (inBody) {
      // a body delimited by the end of the connection ends here
      Exchange exchange = current;
      finish();
      ctx.fireChannelRead(new ResponsePart(exchange, null, Unpooled.EMPTY_BUFFER, true, status));
    }
    ctx.fireChannelInactive();
  }
}
