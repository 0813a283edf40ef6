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
  /** What a record's buffer starts with; it grows as needed. */
  private static final int INITIAL_BUFFER_BYTES = 2048;
  /** A buffer up to this size is kept for the next record while the connection is busy (still counted in the budget). */
  private static final int KEEP_BUFFER_BYTES = 16 * 1024;
  /** Ended before it began, so it never takes a buffer or changes: one serves every connection of a --no-capture proxy. */
  private static final ConnectionCapture NONE = ended(new ConnectionCapture(new DiscardingSink(), CaptureBudget.unlimited(),
      "-", "-", 64 * 1024));

  private final CaptureSink sink;
  private final CaptureBudget budget;
  private final byte[] key;
  private final byte[] ids;
  private final int headerBytes;
  private final int maxRecordBytes;
  /**
   * The record in the making, taken from the budget when the first observation comes; given back when the
   * connection goes quiet ({@link #flushAndRelease()}), closes, or after a record that made it large.
   */
  private byte[] buf;
  private int size;
  private int count;
  private long sequence;
  private boolean finished;
  /** Acknowledgement of every record handed over since the last awaited flush (see {@link #flushAwaited()}). */
  private CompletableFuture<Void> sinceLastAwaited = NOTHING_TO_STORE;

  /** A writer whose buffers are not bounded (for tests of the format alone). */
  public ConnectionCapture(CaptureSink sink, String nodeId, String connectionId, int maxRecordBytes) {
    this(sink, CaptureBudget.unlimited(), nodeId, connectionId, maxRecordBytes);
  }

  /**
   * A connection's writer: the record it builds counts against {@code budget} (as records waiting for Kafka do); an
   * observation that does not fit is lost with the record in the making, leaving a gap in the sequence.
   */
  public ConnectionCapture(CaptureSink sink, CaptureBudget budget, String nodeId, String connectionId, int maxRecordBytes) {
    this.sink = sink;
    this.budget = budget;
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

  /**
   * A writer that records nothing, for a proxy that forwards without capturing ({@code --no-capture}): every call
   * returns at once, and {@link #isRecording()} tells the handlers to skip their own capture work.
   */
  public static ConnectionCapture none() {
    return NONE;
  }

  private static ConnectionCapture ended(ConnectionCapture capture) {
    capture.finished = true;
    return capture;
  }

  /** False once the connection's capture ended (or for {@link #none()}): observations are then ignored. */
  public boolean isRecording() {
    return !finished;
  }

  public void open(String clientAddress, String proxyAddress, boolean tls) {
    if (finished) {
      return;
    }
    byte[] client = text(clientAddress);
    byte[] proxy = text(proxyAddress);
    if (!begin(CaptureFormat.OPEN, 2 + client.length + 2 + proxy.length + 1)) {
      return;
    }
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
    if (!begin(CaptureFormat.REQUEST_END, 4 + 2 + m.length + 2 + t.length + 1)) {
      return;
    }
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
    if (!begin(CaptureFormat.REQUEST_SKIPPED, 4 + 2 + m.length + 2 + t.length + 1)) {
      return;
    }
    putInt(requestIndex);
    putText(m);
    putText(t);
    buf[size++] = (byte) reason;
  }

  public void responseEnd(int requestIndex, int status) {
    if (finished) {
      return;
    }
    if (!begin(CaptureFormat.RESPONSE_END, 4 + 2)) {
      return;
    }
    putInt(requestIndex);
    buf[size++] = (byte) (status >>> 8);
    buf[size++] = (byte) status;
  }

  public void error(String message) {
    if (finished) {
      return;
    }
    byte[] m = text(message);
    if (begin(CaptureFormat.ERROR, 2 + m.length)) {
      putText(m);
    }
  }

  /** Records the close and stores the last record; later calls do nothing. */
  public void close(int by) {
    if (finished) {
      return;
    }
    if (begin(CaptureFormat.CLOSE, 1)) {
      buf[size++] = (byte) by;
    }
    flush(true, false);
    releaseBuffer();
    finished = true;
  }

  /** Hands the observations so far to the sink as one record (if there are any). */
  public CompletableFuture<Void> flush() {
    return flush(false, false);
  }

  /** Like {@link #flush()}, and gives the buffer back to the budget: the connection has gone quiet. */
  public void flushAndRelease() {
    flush(false, false);
    releaseBuffer();
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
    byte[] value;
    if (buf.length == size) {
      value = buf; // handed over as it is: the next record starts a new buffer
      budget.releaseBuilding(buf.length);
      buf = null;
    } else {
      value = Arrays.copyOf(buf, size);
      if (last || buf.length > KEEP_BUFFER_BYTES) {
        releaseBuffer();
      }
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
      if (begin(type, 4 + n)) {
        putInt(n);
        data.getBytes(index, buf, size, n);
        size += n;
      }
      index += n;
      remaining -= n;
    } while (remaining > 0);
  }

  /**
   * Starts an observation whose body takes {@code bodyBytes}, cutting the record first if it would not fit. False
   * when the budget has no room for it: the observation and the record in the making are lost (a gap).
   */
  private boolean begin(int type, int bodyBytes) {
    if (finished) {
      throw new IllegalStateException("capture of this connection already ended");
    }
    int needed = 1 + 8 + bodyBytes;
    if (size + needed > maxRecordBytes && count > 0) {
      flush(false, false);
    }
    if (!ensure(needed)) {
      lose(needed);
      return false;
    }
    buf[size++] = (byte) type;
    writeLong(buf, size, nowMicros());
    size += 8;
    count++;
    return true;
  }

  /** Room for {@code more} bytes, taken from the budget; false when the budget has none. */
  private boolean ensure(int more) {
    int capacity = buf == null ? 0 : buf.length;
    if (size + more <= capacity) {
      return true;
    }
    int exact = size + more;
    int grown = Math.min(maxRecordBytes, Math.max(Math.max(INITIAL_BUFFER_BYTES, capacity * 2), exact));
    if (!budget.reserveBuilding(grown - capacity)) {
      // doubling did not fit: what this observation needs may still
      if (grown == exact || !budget.reserveBuilding(exact - capacity)) {
        return false;
      }
      grown = exact;
    }
    buf = buf == null ? new byte[grown] : Arrays.copyOf(buf, grown);
    return true;
  }

  /**
   * The budget is full: the record in the making and the observation that did not fit are dropped and counted. Its
   * sequence number is skipped, so readers see a gap, and a write waiting on this connection is not confirmed.
   */
  private void lose(int observationBytes) {
    budget.dropped((count > 0 ? size : 0) + observationBytes);
    sequence++;
    sinceLastAwaited = allStored(sinceLastAwaited,
        CompletableFuture.failedFuture(new KafkaCaptureSink.CaptureDroppedException("capture buffer full (" + budget.limit()
            + " bytes of captures wait for Kafka or are being built)")));
    releaseBuffer();
    reset();
  }

  private void releaseBuffer() {
    if (buf != null) {
      budget.releaseBuilding(buf.length);
      buf = null;
    }
  }

  private void reset() {
    size = headerBytes;
    count = 0;
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
