package io.searchmigrate.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * A piece of a request as the client sent it: the head (exactly its bytes, with {@link #head()} parsed), or
 * a run of body bytes. The part owns {@link #bytes()} until it is written on.
 */
public final class RequestPart {
  private final Exchange exchange;
  private final HttpHead head;
  private ByteBuf bytes;
  private final boolean last;

  public RequestPart(Exchange exchange, HttpHead head, ByteBuf bytes, boolean last) {
    this.exchange = exchange;
    this.head = head;
    this.bytes = bytes;
    this.last = last;
  }

  public Exchange exchange() {
    return exchange;
  }

  /** The parsed head when this part is the head, else null. */
  public HttpHead head() {
    return head;
  }

  public ByteBuf bytes() {
    return bytes;
  }

  /** Replaces the bytes to forward (header rules); the old buffer is released. */
  public void replaceBytes(ByteBuf replacement) {
    bytes.release();
    bytes = replacement;
  }

  /** True when the request ends with these bytes. */
  public boolean last() {
    return last;
  }
}
