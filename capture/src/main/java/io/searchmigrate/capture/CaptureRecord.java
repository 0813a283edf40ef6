package io.searchmigrate.capture;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One decoded capture record: a run of observations on one connection (format in {@link CaptureFormat} and
 * proxy/README.md). Readers (the dump command, the replay pipeline, tests) order records of a connection by
 * {@link #sequence()}; a gap in the sequence means records were lost (dropped while Kafka was unavailable).
 *
 * <pre>{@code
 * CaptureRecord record = CaptureRecord.decode(consumerRecord.value());
 * for (CaptureRecord.Observation o : record.observations()) { ... }
 * }</pre>
 *
 * <p>The proxy writes records with its own allocation-free encoder (ConnectionCapture); {@link #encode()} is the
 * plain inverse of {@link #decode} for tools and tests that make records without a proxy. The proxy's tests check
 * that both produce the same bytes.
 */
public record CaptureRecord(int version, boolean last, long sequence, String nodeId, String connectionId,
    List<Observation> observations) {

  /** One thing the proxy saw, with the time it saw it (microseconds since the epoch). */
  public sealed interface Observation permits Open, RequestBytes, RequestEnd, ResponseBytes, ResponseEnd, RequestSkipped,
      Close, Error {
    long timestampMicros();
  }

  public record Open(long timestampMicros, String clientAddress, String proxyAddress, boolean tls) implements Observation {}

  public record RequestBytes(long timestampMicros, byte[] data) implements Observation {}

  public record RequestEnd(long timestampMicros, int requestIndex, String method, String target, boolean mutating)
      implements Observation {}

  public record ResponseBytes(long timestampMicros, byte[] data) implements Observation {}

  public record ResponseEnd(long timestampMicros, int requestIndex, int status) implements Observation {}

  public record RequestSkipped(long timestampMicros, int requestIndex, String method, String target, int reason)
      implements Observation {}

  public record Close(long timestampMicros, int by) implements Observation {}

  public record Error(long timestampMicros, String message) implements Observation {}

  /** Decodes a record value; throws {@link IllegalArgumentException} for anything that is not a valid record. */
  public static CaptureRecord decode(byte[] value) {
    ByteBuffer in = ByteBuffer.wrap(value);
    try {
      byte[] magic = new byte[4];
      in.get(magic);
      if (!Arrays.equals(magic, CaptureFormat.MAGIC)) {
        throw new IllegalArgumentException("not a capture record (no SMCP magic)");
      }
      int version = Byte.toUnsignedInt(in.get());
      if (version != CaptureFormat.VERSION) {
        throw new IllegalArgumentException("capture format version " + version + " is not supported (this build reads "
            + CaptureFormat.VERSION + ")");
      }
      int flags = Byte.toUnsignedInt(in.get());
      long sequence = in.getLong();
      int count = in.getInt();
      String nodeId = str(in);
      String connectionId = str(in);
      List<Observation> observations = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        observations.add(observation(in));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " unexpected bytes after the last observation");
      }
      return new CaptureRecord(version, (flags & CaptureFormat.FLAG_LAST) != 0, sequence, nodeId, connectionId,
          List.copyOf(observations));
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated capture record", e);
    }
  }

  /**
   * This record in the capture format, byte for byte what {@link #decode} reads. Throws
   * {@link IllegalArgumentException} for a string longer than 65535 UTF-8 bytes or a value outside its field
   * (status above 65535, a flag above 255).
   */
  public byte[] encode() {
    if (version != CaptureFormat.VERSION) {
      throw new IllegalArgumentException("only capture format version " + CaptureFormat.VERSION + " can be written, not " + version);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes); // big-endian, as the format wants
    try {
      out.write(CaptureFormat.MAGIC);
      out.writeByte(version);
      out.writeByte(last ? CaptureFormat.FLAG_LAST : 0);
      out.writeLong(sequence);
      out.writeInt(observations.size());
      writeStr(out, nodeId);
      writeStr(out, connectionId);
      for (Observation o : observations) {
        writeObservation(out, o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  private static void writeObservation(DataOutputStream out, Observation o) throws IOException {
    if (o instanceof Open x) {
      header(out, CaptureFormat.OPEN, x);
      writeStr(out, x.clientAddress());
      writeStr(out, x.proxyAddress());
      out.writeByte(x.tls() ? 1 : 0);
    } else if (o instanceof RequestBytes x) {
      header(out, CaptureFormat.REQUEST_BYTES, x);
      out.writeInt(x.data().length);
      out.write(x.data());
    } else if (o instanceof RequestEnd x) {
      header(out, CaptureFormat.REQUEST_END, x);
      out.writeInt(x.requestIndex());
      writeStr(out, x.method());
      writeStr(out, x.target());
      out.writeByte(x.mutating() ? CaptureFormat.REQUEST_FLAG_MUTATING : 0);
    } else if (o instanceof ResponseBytes x) {
      header(out, CaptureFormat.RESPONSE_BYTES, x);
      out.writeInt(x.data().length);
      out.write(x.data());
    } else if (o instanceof ResponseEnd x) {
      header(out, CaptureFormat.RESPONSE_END, x);
      out.writeInt(x.requestIndex());
      out.writeShort(unsigned(x.status(), 0xFFFF, "status"));
    } else if (o instanceof RequestSkipped x) {
      header(out, CaptureFormat.REQUEST_SKIPPED, x);
      out.writeInt(x.requestIndex());
      writeStr(out, x.method());
      writeStr(out, x.target());
      out.writeByte(unsigned(x.reason(), 0xFF, "skip reason"));
    } else if (o instanceof Close x) {
      header(out, CaptureFormat.CLOSE, x);
      out.writeByte(unsigned(x.by(), 0xFF, "closed by"));
    } else if (o instanceof Error x) {
      header(out, CaptureFormat.ERROR, x);
      writeStr(out, x.message());
    }
  }

  private static void header(DataOutputStream out, int type, Observation o) throws IOException {
    out.writeByte(type);
    out.writeLong(o.timestampMicros());
  }

  private static int unsigned(int value, int max, String what) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(what + " " + value + " does not fit the capture format (0.." + max + ")");
    }
    return value;
  }

  private static void writeStr(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeShort(unsigned(b.length, 0xFFFF, "string length"));
    out.write(b);
  }

  private static Observation observation(ByteBuffer in) {
    int type = Byte.toUnsignedInt(in.get());
    long ts = in.getLong();
    return switch (type) {
      case CaptureFormat.OPEN -> new Open(ts, str(in), str(in), in.get() != 0);
      case CaptureFormat.REQUEST_BYTES -> new RequestBytes(ts, bytes(in));
      case CaptureFormat.REQUEST_END -> new RequestEnd(ts, in.getInt(), str(in), str(in),
          (in.get() & CaptureFormat.REQUEST_FLAG_MUTATING) != 0);
      case CaptureFormat.RESPONSE_BYTES -> new ResponseBytes(ts, bytes(in));
      case CaptureFormat.RESPONSE_END -> new ResponseEnd(ts, in.getInt(), Short.toUnsignedInt(in.getShort()));
      case CaptureFormat.REQUEST_SKIPPED -> new RequestSkipped(ts, in.getInt(), str(in), str(in), Byte.toUnsignedInt(in.get()));
      case CaptureFormat.CLOSE -> new Close(ts, Byte.toUnsignedInt(in.get()));
      case CaptureFormat.ERROR -> new Error(ts, str(in));
      default -> throw new IllegalArgumentException("unknown observation type " + type);
    };
  }

  private static String str(ByteBuffer in) {
    byte[] b = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("bytes observation claims " + length + " bytes, " + in.remaining() + " remain");
    }
    byte[] b = new byte[length];
    in.get(b);
    return b;
  }
}
