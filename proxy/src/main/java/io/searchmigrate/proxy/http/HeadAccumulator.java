package io.searchmigrate.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ByteProcessor;

/**
 * Collects the bytes of one message head (start line and header fields, up to the empty line) without
 * copying in the common case where the whole head arrives in one buffer. Enforces a size bound.
 */
final class HeadAccumulator {
  private final int maxBytes;
  private ByteBuf partial;
  private boolean started;
  private int newlines;
  private final ByteProcessor endOfHead = b -> {
    if (b == '\n') {
      return !started || ++newlines < 2;
    }
    if (b != '\r') {
      started = true;
      newlines = 0;
    }
    return true;
  };

  HeadAccumulator(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Takes the rest of a head from {@code in}: returns the whole head (caller owns it) and moves {@code in}
   * past it, or returns null after keeping what {@code in} had, when the head is not complete yet.
   */
  ByteBuf take(ByteBuf in, ByteBufAllocator alloc) throws HttpFramingException {
    int start = in.readerIndex();
    int found = in.forEachByte(start, in.readableBytes(), endOfHead);
    int have = partial == null ? 0 : partial.readableBytes();
    if (found < 0) {
      if (have + in.readableBytes() > maxBytes) {
        throw new HttpFramingException(431, "message head larger than " + maxBytes + " bytes");
      }
      if (partial == null) {
        partial = alloc.heapBuffer(Math.min(maxBytes, Math.max(256, in.readableBytes() * 2)), maxBytes);
      }
      partial.writeBytes(in);
      return null;
    }
    int length = found + 1 - start;
    if (have + length > maxBytes) {
      throw new HttpFramingException(431, "message head larger than " + maxBytes + " bytes");
    }
    started = false;
    newlines = 0;
    ByteBuf head;
    if (partial == null) {
      head = in.retainedSlice(start, length);
    } else {
      head = partial.writeBytes(in, start, length);
      partial = null;
    }
    in.readerIndex(start + length);
    return head;
  }

  void release() {
    if (partial != null) {
      partial.release();
      partial = null;
    }
    started = false;
    newlines = 0;
  }
}
