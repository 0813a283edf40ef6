package io.searchmigrate.proxy.capture;

import io.netty.buffer.ByteBuf;
import io.searchmigrate.capture.CaptureFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Builds the capture records of one connection: observations are appended as they happen and cut into
 * records of at most {@code maxRecordBytes}, each numbered by a per-connection sequence. Not thread-safe: a
 * connection's frontend and backend channels share one event loop, which is the only caller.
 */
public final class ConnectionCapture {
  private static final CompletableFuture<Void> NOTHING_TO_STORE = CompletableFuture.completedFuture(null);
  private static final int MAX_TEXT_BYTES = 4096;
  /** What a connection's buffer starts with; it grows as needed. */
  private static final int INITIAL_BUFFER_BYTES = 2048;
  /** A buffer grown beyond this for a large payload is dropped after the flush, so idle connections stay small. */
  private static final int KEEP_BUFFER_BYTES = 16 * 1024;

  private final CaptureSink sink;
  private final byte[] key;
  private final byte[] ids;
  private final int headerBytes;
  private final int maxRecordBytes;
  private byte[] buf;
  private int size;
  private int count;
  private long sequence;
  private boolean finished;
  /** Acknowledgement of every record handed over since the last awaited flush (see {@link #flushAwaited()}). */
  private CompletableFuture<Void> sinceLastAwaited = NOTHING_TO_STORE;

  public ConnectionCapture(CaptureSink sink, String nodeId, String connectionId, int maxRecordBytes) {
    this.sink = sink;
    this.key = connectionId.getBytes(StandardCharsets.UTF_8);
    byte[] node = nodeId.getBytes(StandardCharsets.UTF_8);
    this.ids = new byte[4 + node.length + key.length];
    writeShort(ids, 0, node.length);
    System.arraycopy(node, 0, ids, 2, node.length);
    writeShort(ids, 2 + node.length, key.length);
    System.arraycopy(key, 0, ids, 4 + node.length, key.length);
    this.headerBytes = CaptureFormat.FIXED_HEADER + ids.length;
    if (maxRecordBytes < headerBytes + 2 * MAX_TEXT_BYTES + 64) {
      throw new IllegalArgumentException("capture records need at least " + (headerBytes + 2 * MAX_TEXT_BYTES + 64) + " bytes");
    }
    this.maxRecordBytes = maxRecordBytes;
    reset();
  }

  public void open(String clientAddress, String proxyAddress, boolean tls) {
    if (finished) {
      return;
    }
    byte[] client = text(clientAddress);
    byte[] proxy = text(proxyAddress);
    begin(CaptureFormat.OPEN, 2 + client.length + 2 + proxy.length + 1);
    putText(client);
    putText(proxy);
    buf[size++] = (byte) (tls ? 1 : 0);
  }

  public void requestBytes(ByteBuf data) {
    bytes(CaptureFormat.REQUEST_BYTES, data);
  }

  public void responseBytes(ByteBuf data) {
    bytes(CaptureFormat.RESPONSE_BYTES, data);
  }

  public void requestEnd(int requestIndex, String method, String target, boolean mutating) {
    if (finished) {
      return;
    }
    byte[] m = text(method);
    byte[] t = text(target);
    begin(CaptureFormat.REQUEST_END, 4 + 2 + m.length + 2 + t.length + 1);
    putInt(requestIndex);
    putText(m);
    putText(t);
    buf[size++] = (byte) (mutating ? CaptureFormat.REQUEST_FLAG_MUTATING : 0);
  }

  public void requestSkipped(int requestIndex, String method, String target, int reason) {
    if (finished) {
      return;
    }
    byte[] m = text(method);
    byte[] t = text(target);
    begin(CaptureFormat.REQUEST_SKIPPED, 4 + 2 + m.length + 2 + t.length + 1);
    putInt(requestIndex);
    putText(m);
    putText(t);
    buf[size++] = (byte) reason;
  }

  public void responseEnd(int requestIndex, int status) {
    if (finished) {
      return;
    }
    begin(CaptureFormat.RESPONSE_END, 4 + 2);
    putInt(requestIndex);
    buf[size++] = (byte) (status >>> 8);
    buf[size++] = (byte) status;
  }

  public void error(String message) {
    if (finished) {
      return;
    }
    byte[] m = text(message);
    begin(CaptureFormat.ERROR, 2 + m.length);
    putText(m);
  }

  /** Records the close and stores the last record; later calls do nothing. */
  public void close(int by) {
    if (finished) {
      return;
    }
    begin(CaptureFormat.CLOSE, 1);
    buf[size++] = (byte) by;
    flush(true, false);
    finished = true;
  }

  /** Hands the observations so far to the sink as one record (if there are any). */
  public CompletableFuture<Void> flush() {
    return flush(false, false);
  }

  /**
   * Like {@link #flush()}, for a record a client request waits on: the sink sends it without delay. The future
   * completes when this record and every record handed over since the previous awaited flush are acknowledged
   * (a request split across records is confirmed only when all of them are; a lost record before it would make
   * replay skip it), and fails as soon as one of them fails.
   */
  public CompletableFuture<Void> flushAwaited() {
    flush(false, true);
    CompletableFuture<Void> all = sinceLastAwaited;
    sinceLastAwaited = NOTHING_TO_STORE;
    return all;
  }

  private CompletableFuture<Void> flush(boolean last, boolean awaited) {
    if (count == 0 || finished) {
      return NOTHING_TO_STORE;
    }
    System.arraycopy(CaptureFormat.MAGIC, 0, buf, 0, 4);
    buf[4] = (byte) CaptureFormat.VERSION;
    buf[5] = (byte) (last ? CaptureFormat.FLAG_LAST : 0);
    writeLong(buf, 6, sequence++);
    writeInt(buf, 14, count);
    System.arraycopy(ids, 0, buf, CaptureFormat.FIXED_HEADER, ids.length);
    byte[] value = Arrays.copyOf(buf, size);
    if (buf.length > KEEP_BUFFER_BYTES) {
      buf = null;
    }
    reset();
    CompletableFuture<Void> stored = sink.submit(key, value, awaited);
    sinceLastAwaited = allStored(sinceLastAwaited, stored);
    return stored;
  }

  /** Completes when both are stored; fails as soon as either fails. */
  private static CompletableFuture<Void> allStored(CompletableFuture<Void> a, CompletableFuture<Void> b) {
    if (a.isDone()) {
      return a.isCompletedExceptionally() ? a : b;
    }
    if (b.isDone()) {
      return b.isCompletedExceptionally() ? b : a;
    }
    CompletableFuture<Void> all = new CompletableFuture<>();
    BiConsumer<Void, Throwable> either = (ignored, error) -> {
      if (error != null) {
        all.completeExceptionally(error);
      } else if (a.isDone() && b.isDone() && !a.isCompletedExceptionally() && !b.isCompletedExceptionally()) {
        all.complete(null);
      }
    };
    a.whenComplete(either);
    b.whenComplete(either);
    return all;
  }

  private void bytes(int type, ByteBuf data) {
    if (finished) {
      return;
    }
    int index = data.readerIndex();
    int remaining = data.readableBytes();
    if (remaining == 0) {
      return;
    }
    do {
      int room = maxRecordBytes - size - CaptureFormat.BYTES_OBSERVATION_OVERHEAD;
      if (room <= 0 || (room < remaining && room < 1024 && count > 0)) {
        flush(false, false);
        room = maxRecordBytes - size - CaptureFormat.BYTES_OBSERVATION_OVERHEAD;
      }
      int n = Math.min(room, remaining);
      begin(type, 4 + n);
      putInt(n);
      data.getBytes(index, buf, size, n);
      size += n;
      index += n;
      remaining -= n;
    } while (remaining > 0);
  }

  /** Starts an observation whose body takes {@code bodyBytes}, cutting the record first if it would not fit. */
  private void begin(int type, int bodyBytes) {
    if (finished) {
      throw new IllegalStateException("capture of this connection already ended");
    }
    int needed = 1 + 8 + bodyBytes;
    if (size + needed > maxRecordBytes && count > 0) {
      flush(false, false);
    }
    ensure(needed);
    buf[size++] = (byte) type;
    writeLong(buf, size, nowMicros());
    size += 8;
    count++;
  }

  private void reset() {
    if (buf == null) {
      buf = new byte[Math.min(INITIAL_BUFFER_BYTES, maxRecordBytes)];
    }
    size = headerBytes;
    count = 0;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.min(maxRecordBytes, Math.max(buf.length * 2, size + more)));
    }
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  private static byte[] text(String s) {
    byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    return b.length <= MAX_TEXT_BYTES ? b : Arrays.copyOf(b, MAX_TEXT_BYTES);
  }

  private void putText(byte[] b) {
    writeShort(buf, size, b.length);
    System.arraycopy(b, 0, buf, size + 2, b.length);
    size += 2 + b.length;
  }

  private void putInt(int v) {
    writeInt(buf, size, v);
    size += 4;
  }

  private static void writeShort(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  private static void writeInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static void writeLong(byte[] b, int at, long v) {
    writeInt(b, at, (int) (v >>> 32));
    writeInt(b, at + 4, (int) v);
  }
}
