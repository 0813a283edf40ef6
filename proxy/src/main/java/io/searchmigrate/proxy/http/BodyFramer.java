package io.searchmigrate.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * Finds where a message body ends without copying it: a fixed length, chunked coding (chunk-size lines,
 * data, trailers), or "until the connection closes". Feed it bytes with {@link #scan}; it says how many
 * belong to the body and whether the body is complete.
 */
final class BodyFramer {
  private static final int MAX_CHUNK_LINE = 4096;

  private enum State { LENGTH, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_DATA, CHUNK_DATA_END, TRAILER, UNTIL_CLOSE, DONE }

  private final int maxTrailerBytes;
  private State state = State.DONE;
  private long remaining;
  private int lineBytes;
  private int trailerBytes;
  private boolean sawDigit;
  private boolean lineHasContent;

  BodyFramer(int maxTrailerBytes) {
    this.maxTrailerBytes = maxTrailerBytes;
  }

  /** Starts a body of the given framing ({@link HttpHead#CHUNKED}, {@link HttpHead#UNTIL_CLOSE}, or a length >= 0). */
  void start(long length) {
    if (length == HttpHead.CHUNKED) {
      startChunkSize();
    } else if (length == HttpHead.UNTIL_CLOSE) {
      state = State.UNTIL_CLOSE;
    } else {
      remaining = length;
      state = length == 0 ? State.DONE : State.LENGTH;
    }
  }

  boolean done() {
    return state == State.DONE;
  }

  /**
   * Consumes bytes of {@code in} from its reader index (without moving it) and returns how many belong to the
   * body; {@link #done()} tells whether the body ended there.
   */
  int scan(ByteBuf in) throws HttpFramingException {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int i = start;
    while (i < end && state != State.DONE) {
      switch (state) {
        case LENGTH, CHUNK_DATA -> {
          int n = (int) Math.min(remaining, end - i);
          i += n;
          remaining -= n;
          if (remaining == 0) {
            state = state == State.LENGTH ? State.DONE : State.CHUNK_DATA_END;
            lineBytes = 0;
          }
        }
        case UNTIL_CLOSE -> i = end;
        default -> {
          line(in.getByte(i));
          i++;
        }
      }
    }
    return i - start;
  }

  private void startChunkSize() {
    state = State.CHUNK_SIZE;
    remaining = 0;
    lineBytes = 0;
    sawDigit = false;
  }

  /** One byte of a chunk-size line, the CRLF after chunk data, or a trailer line. */
  private void line(byte b) throws HttpFramingException {
    if (++lineBytes > MAX_CHUNK_LINE) {
      throw new HttpFramingException(400, "chunk line too long");
    }
    switch (state) {
      case CHUNK_SIZE -> {
        int digit = Character.digit(b, 16);
        if (digit >= 0) {
          if (remaining > (Long.MAX_VALUE >> 4)) {
            throw new HttpFramingException(400, "chunk size too large");
          }
          remaining = remaining * 16 + digit;
          sawDigit = true;
        } else if (b == ';' || b == ' ' || b == '\t') {
          state = State.CHUNK_EXTENSION;
        } else if (b == '\n') {
          endSizeLine();
        } else if (b != '\r') {
          throw new HttpFramingException(400, "malformed chunk size");
        }
      }
      case CHUNK_EXTENSION -> {
        if (b == '\n') {
          endSizeLine();
        }
      }
      case CHUNK_DATA_END -> {
        if (b == '\n') {
          startChunkSize();
        } else if (b != '\r') {
          throw new HttpFramingException(400, "chunk data longer than its size");
        }
      }
      case TRAILER -> {
        if (++trailerBytes > maxTrailerBytes) {
          throw new HttpFramingException(431, "trailer section too large");
        }
        if (b == '\n') {
          if (!lineHasContent) {
            state = State.DONE;
          }
          lineHasContent = false;
          lineBytes = 0;
        } else if (b != '\r') {
          lineHasContent = true;
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void endSizeLine() throws HttpFramingException {
    if (!sawDigit) {
      throw new HttpFramingException(400, "malformed chunk size");
    }
    lineBytes = 0;
    if (remaining == 0) {
      state = State.TRAILER;
      trailerBytes = 0;
      lineHasContent = false;
    } else {
      state = State.CHUNK_DATA;
    }
  }
}
