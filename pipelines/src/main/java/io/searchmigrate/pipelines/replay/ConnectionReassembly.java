package io.searchmigrate.pipelines.replay;

import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.capture.CaptureRecord.Observation;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One connection's capture records turned into its requests as they arrive, for keyed state in a streaming
 * pipeline: records are taken in sequence order (a record ahead of the next expected one is held), and only the
 * request in progress and the records held are kept, so the state stays bounded under a steady stream. The same
 * rules as {@link io.searchmigrate.capture.CaptureAssembler} (which needs the whole connection at once): a lost record
 * makes incomplete whatever it may have cut, responses are matched to requests by index.
 *
 * <pre>{@code
 * ConnectionReassembly connection = new ConnectionReassembly(64);
 * for (CapturedRequest r : connection.add(CaptureRecord.decode(value))) { send(r); }
 * connection.giveUpWaiting(); // when the connection went quiet: a missing record is a gap
 * }</pre>
 */
public final class ConnectionReassembly implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int maxHeldRecords;
  private final TreeMap<Long, byte[]> held = new TreeMap<>();
  /** Topic offsets of the records held or taken whose requests are still in progress (-1: not from a topic). */
  private final TreeMap<Long, Long> heldOffsets = new TreeMap<>();
  private final ArrayList<Long> pendingOffsets = new ArrayList<>();
  private boolean started;
  private long nextSequence;
  private String connectionId;
  private Building current;
  private final ArrayDeque<Building> awaitingResponse = new ArrayDeque<>();
  private Bytes response = new Bytes();
  private boolean nextRequestBroken;
  private boolean ended;
  private long missingRecords;

  /** @param maxHeldRecords records held ahead of a missing one before the missing one counts as lost */
  public ConnectionReassembly(int maxHeldRecords) {
    if (maxHeldRecords < 1) {
      throw new IllegalArgumentException("maxHeldRecords must be at least 1, was " + maxHeldRecords);
    }
    this.maxHeldRecords = maxHeldRecords;
  }

  /**
   * Nothing taken yet and the records held do not begin the connection (no OPEN, sequence above 0): the replay may
   * have begun after the connection did (resuming from committed offsets, {@code --from latest}).
   */
  public boolean waitsForItsBeginning() {
    return !started && !held.isEmpty() && held.firstKey() > 0
        && CaptureRecord.decode(held.firstEntry().getValue()).observations().stream()
            .noneMatch(o -> o instanceof CaptureRecord.Open);
  }

  /**
   * The connection began before the replay did: when {@link #waitsForItsBeginning()}, takes the held records from the
   * lowest one as if the connection began there (the records before it were replayed by an earlier run, or are older
   * than where this one began), without counting them lost. Returns what that completed.
   */
  public List<CapturedRequest> joinMidway() {
    List<CapturedRequest> out = new ArrayList<>();
    if (waitsForItsBeginning()) {
      nextSequence = held.firstKey();
      drain(out, false);
    }
    return out;
  }

  /**
   * The topic offsets of records now done with: nothing of their connection is in progress any more (no request
   * waiting for bytes or an answer, nothing held), and the requests they made were handed out by {@link #add}. Call
   * it after replaying those requests; each offset is given once.
   */
  public List<Long> releasedOffsets() {
    if (!held.isEmpty() || current != null || !awaitingResponse.isEmpty() || response.length > 0
        || pendingOffsets.isEmpty()) {
      return List.of();
    }
    List<Long> released = pendingOffsets.stream().filter(o -> o >= 0).toList();
    pendingOffsets.clear();
    return released;
  }

  /** Takes one record in any order; returns the requests it completed (or found cut), in request order. */
  public List<CapturedRequest> add(CaptureRecord record) {
    return add(record, -1);
  }

  /**
   * Takes one record read at {@code offset} of its topic partition; {@link #releasedOffsets()} later says when the
   * record is done with.
   */
  public List<CapturedRequest> add(CaptureRecord record, long offset) {
    List<CapturedRequest> out = new ArrayList<>();
    if (connectionId == null) {
      connectionId = record.connectionId();
    }
    if (record.sequence() < nextSequence || held.containsKey(record.sequence())) {
      pendingOffsets.add(offset); // a duplicate (at-least-once delivery): already taken, done with once the rest is
      return out;
    }
    if (held.isEmpty() && record.sequence() == nextSequence) {
      // the usual case, the next record in order: taken at once, not kept as bytes and decoded again
      pendingOffsets.add(offset);
      nextSequence++;
      started = true;
      take(record, out);
      return out;
    }
    held.put(record.sequence(), record.encode());
    heldOffsets.put(record.sequence(), offset);
    drain(out, false);
    if (held.size() > maxHeldRecords) {
      drain(out, true);
    }
    return out;
  }

  /**
   * The records still missing will not come (the connection went quiet): takes the held ones across the gaps and
   * ends every request still open as incomplete. Returns what that completed or cut.
   */
  public List<CapturedRequest> giveUpWaiting() {
    List<CapturedRequest> out = new ArrayList<>();
    drain(out, true);
    flushIncomplete(out);
    return out;
  }

  /** The connection's last record was taken and nothing is held: its state can be cleared. */
  public boolean finished() {
    return ended && held.isEmpty();
  }

  /** Records known lost so far (gaps in the sequence). */
  public long missingRecords() {
    return missingRecords;
  }

  /** Bytes kept for requests and responses in progress (for bounding state). */
  public long bufferedBytes() {
    long n = response.length + (current == null ? 0 : current.request.length);
    for (Building b : awaitingResponse) {
      n += b.request.length + b.response.length;
    }
    for (byte[] r : held.values()) {
      n += r.length;
    }
    return n;
  }

  private void drain(List<CapturedRequest> out, boolean acrossGaps) {
    while (!held.isEmpty()) {
      Map.Entry<Long, byte[]> first = held.firstEntry();
      if (first.getKey() != nextSequence) {
        if (!acrossGaps) {
          return;
        }
        markGap(first.getKey() - nextSequence, out);
      }
      held.pollFirstEntry();
      pendingOffsets.add(heldOffsets.remove(first.getKey()));
      nextSequence = first.getKey() + 1;
      started = true;
      take(CaptureRecord.decode(first.getValue()), out);
      acrossGaps = false; // one gap at a time: later held records may still be contiguous
    }
  }

  private void markGap(long lost, List<CapturedRequest> out) {
    missingRecords += lost;
    // whatever was in progress lost some of its bytes ("skip to the next REQUEST_END", proxy/README.md)
    giveResponseBytes(awaitingResponse.isEmpty() ? current : awaitingResponse.peek());
    if (current != null) {
      current.broken = true;
    } else {
      nextRequestBroken = true;
    }
    awaitingResponse.forEach(b -> b.broken = true);
  }

  private void take(CaptureRecord record, List<CapturedRequest> out) {
    ended |= record.last();
    for (Observation o : record.observations()) {
      if (o instanceof CaptureRecord.RequestBytes x) {
        startRequest(x.timestampMicros());
        current.request.append(x.data());
      } else if (o instanceof CaptureRecord.RequestEnd x) {
        startRequest(x.timestampMicros());
        current.ended(x);
        awaitingResponse.add(current);
        current = null;
      } else if (o instanceof CaptureRecord.ResponseBytes x) {
        response.append(x.data());
      } else if (o instanceof CaptureRecord.ResponseEnd x) {
        while (!awaitingResponse.isEmpty() && awaitingResponse.peek().index < x.requestIndex()) {
          out.add(request(awaitingResponse.poll(), 0, 0, false));
        }
        Building done = awaitingResponse.peek();
        if (done != null && done.index == x.requestIndex()) {
          awaitingResponse.poll();
          giveResponseBytes(done);
          out.add(request(done, x.status(), x.timestampMicros(), !done.broken));
        } else if (awaitingResponse.isEmpty() && current != null) {
          giveResponseBytes(current); // an answer before the request ended (an early error)
        } else {
          response = new Bytes(); // the response of a request lost with a record: nobody else's
        }
      }
    }
    if (ended && held.isEmpty()) {
      flushIncomplete(out);
    }
  }

  private void flushIncomplete(List<CapturedRequest> out) {
    giveResponseBytes(awaitingResponse.isEmpty() ? current : awaitingResponse.peek());
    while (!awaitingResponse.isEmpty()) {
      out.add(request(awaitingResponse.poll(), 0, 0, false));
    }
    if (current != null && current.request.length > 0) {
      out.add(new CapturedRequest(connectionId, -1, "", "", false, current.request.toArray(), current.response.toArray(),
          0, current.startMicros, 0, 0, false));
    }
    current = null;
  }

  private void startRequest(long micros) {
    if (current == null) {
      current = new Building(micros, nextRequestBroken);
      nextRequestBroken = false;
    }
  }

  private void giveResponseBytes(Building to) {
    if (to != null) {
      to.response.append(response.toArray());
    }
    response = new Bytes();
  }

  private CapturedRequest request(Building b, int status, long responseEndMicros, boolean complete) {
    return new CapturedRequest(connectionId, b.index, b.method, b.target, b.mutating,
        b.request.toArray(), b.response.toArray(), status, b.startMicros, b.endMicros, responseEndMicros,
        complete && status > 0);
  }

  private static final class Building implements Serializable {
    private static final long serialVersionUID = 1L;
    final Bytes request = new Bytes();
    final Bytes response = new Bytes();
    final long startMicros;
    int index;
    String method;
    String target;
    boolean mutating;
    long endMicros;
    boolean broken;

    Building(long startMicros, boolean broken) {
      this.startMicros = startMicros;
      this.broken = broken;
    }

    void ended(CaptureRecord.RequestEnd end) {
      index = end.requestIndex();
      method = end.method();
      target = end.target();
      mutating = end.mutating();
      endMicros = end.timestampMicros();
    }
  }

  /** A growable byte buffer that survives Java serialization (keyed state is serialized between bundles). */
  private static final class Bytes implements Serializable {
    private static final long serialVersionUID = 1L;
    byte[] data = new byte[0];
    int length;

    void append(byte[] more) {
      if (length + more.length > data.length) {
        data = Arrays.copyOf(data, Math.max(length + more.length, data.length * 2));
      }
      System.arraycopy(more, 0, data, length, more.length);
      length += more.length;
    }

    byte[] toArray() {
      return Arrays.copyOf(data, length);
    }
  }
}
