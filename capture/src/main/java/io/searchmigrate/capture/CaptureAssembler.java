package io.searchmigrate.capture;

import io.searchmigrate.capture.CaptureRecord.Observation;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds each connection's exchanges (request bytes, response bytes) from capture records given in any
 * order: records are put in sequence order per connection, then observations are replayed. A lost record (a gap
 * in the sequence) makes incomplete every exchange it may have cut, including the next request to start; responses
 * are matched to their requests by index, so a lost response end never shifts later responses onto other requests.
 * An exchange marked complete holds exactly what the client sent and received.
 *
 * <pre>{@code
 * CaptureAssembler assembler = new CaptureAssembler();
 * records.forEach(assembler::add);
 * for (CaptureAssembler.Connection c : assembler.connections()) { c.exchanges() ... }
 * }</pre>
 */
public final class CaptureAssembler {
  /** One request and its response as captured. {@code complete} is false when either was cut short. */
  public record Exchange(int index, String method, String target, boolean mutating, byte[] request, byte[] response,
      int status, long requestStartMicros, long requestEndMicros, long responseEndMicros, boolean complete) {}

  /**
   * A captured connection: how it opened and ended, its exchanges in order, the requests not captured
   * (suppressed), errors, and record sequence numbers that are missing (lost captures).
   */
  public record Connection(String id, String nodeId, CaptureRecord.Open open, List<Exchange> exchanges,
      List<CaptureRecord.RequestSkipped> skipped, List<String> errors, int closedBy, long closedMicros, List<Long> missingSequences,
      boolean ended) {
    public long openedMicros() {
      return open != null ? open.timestampMicros() : exchanges.isEmpty() ? 0 : exchanges.get(0).requestStartMicros();
    }
  }

  private final Map<String, TreeMap<Long, CaptureRecord>> byConnection = new LinkedHashMap<>();

  public void add(CaptureRecord record) {
    byConnection.computeIfAbsent(record.connectionId(), k -> new TreeMap<>()).put(record.sequence(), record);
  }

  /**
   * Every connection seen, in the order they opened; connections opened in the same microsecond by id, so the order
   * never depends on the order records were read in (partitions interleave differently on every read).
   */
  public List<Connection> connections() {
    List<Connection> connections = new ArrayList<>();
    for (TreeMap<Long, CaptureRecord> records : byConnection.values()) {
      connections.add(assemble(records));
    }
    connections.sort(Comparator.comparingLong(Connection::openedMicros).thenComparing(Connection::id));
    return connections;
  }

  private static final class Building {
    final ByteArrayOutputStream request = new ByteArrayOutputStream();
    final ByteArrayOutputStream response = new ByteArrayOutputStream();
    final long startMicros;
    long endMicros;
    CaptureRecord.RequestEnd end;
    boolean broken;

    Building(long startMicros, boolean broken) {
      this.startMicros = startMicros;
      this.broken = broken;
    }
  }

  private static Connection assemble(TreeMap<Long, CaptureRecord> records) {
    CaptureRecord first = records.firstEntry().getValue();
    List<Long> missing = new ArrayList<>();
    long expected = 0;
    CaptureRecord.Open open = null;
    List<Exchange> exchanges = new ArrayList<>();
    List<CaptureRecord.RequestSkipped> skipped = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    ArrayDeque<Building> awaitingResponse = new ArrayDeque<>();
    Building current = null;
    // a record was lost between requests: it may have held the start of the next one, which is then incomplete
    boolean nextRequestBroken = false;
    // bytes of the response in progress; whose they are is known at its RESPONSE_END (or at a gap: the oldest waiting)
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    int closedBy = 0;
    long closedMicros = 0;
    boolean ended = false;
    for (CaptureRecord record : records.values()) {
      if (expected < record.sequence()) {
        for (; expected < record.sequence(); expected++) {
          missing.add(expected);
        }
        // whatever was in progress lost some of its bytes ("skip to the next REQUEST_END", proxy/README.md)
        giveResponseBytes(response, awaitingResponse.isEmpty() ? current : awaitingResponse.peek());
        if (current != null) {
          current.broken = true;
        } else {
          nextRequestBroken = true;
        }
        awaitingResponse.forEach(b -> b.broken = true);
      }
      expected = record.sequence() + 1;
      ended |= record.last();
      for (Observation o : record.observations()) {
        if (o instanceof CaptureRecord.Open x) {
          open = x;
        } else if (o instanceof CaptureRecord.RequestBytes x) {
          if (current == null) {
            current = new Building(x.timestampMicros(), nextRequestBroken);
            nextRequestBroken = false;
          }
          current.request.writeBytes(x.data());
        } else if (o instanceof CaptureRecord.RequestEnd x) {
          if (current == null) {
            current = new Building(x.timestampMicros(), nextRequestBroken);
            nextRequestBroken = false;
          }
          current.end = x;
          current.endMicros = x.timestampMicros();
          awaitingResponse.add(current);
          current = null;
        } else if (o instanceof CaptureRecord.ResponseBytes x) {
          response.writeBytes(x.data());
        } else if (o instanceof CaptureRecord.ResponseEnd x) {
          // responses come in request order: requests before this one whose response end was lost are incomplete
          while (!awaitingResponse.isEmpty() && awaitingResponse.peek().end.requestIndex() < x.requestIndex()) {
            exchanges.add(exchange(awaitingResponse.poll(), 0, 0, false));
          }
          Building done = awaitingResponse.peek();
          if (done != null && done.end.requestIndex() == x.requestIndex()) {
            awaitingResponse.poll();
            giveResponseBytes(response, done);
            exchanges.add(exchange(done, x.status(), x.timestampMicros(), !done.broken));
          } else if (awaitingResponse.isEmpty() && current != null) {
            giveResponseBytes(response, current); // an answer before the request ended (an early error)
          } else {
            response.reset(); // the response of a request that was lost with a record: nobody else's
          }
        } else if (o instanceof CaptureRecord.RequestSkipped x) {
          skipped.add(x);
        } else if (o instanceof CaptureRecord.Error x) {
          errors.add(x.message());
        } else if (o instanceof CaptureRecord.Close x) {
          closedBy = x.by();
          closedMicros = x.timestampMicros();
        }
      }
    }
    // requests without a (complete) response when the capture ends
    giveResponseBytes(response, awaitingResponse.isEmpty() ? current : awaitingResponse.peek());
    for (Building b : awaitingResponse) {
      exchanges.add(exchange(b, 0, 0, false));
    }
    if (current != null && current.request.size() > 0) {
      exchanges.add(new Exchange(-1, "", "", false, current.request.toByteArray(), current.response.toByteArray(), 0,
          current.startMicros, 0, 0, false));
    }
    return new Connection(first.connectionId(), first.nodeId(), open, exchanges, skipped, errors, closedBy, closedMicros, missing, ended);
  }

  private static void giveResponseBytes(ByteArrayOutputStream response, Building to) {
    if (to != null) {
      to.response.writeBytes(response.toByteArray());
    }
    response.reset();
  }

  private static Exchange exchange(Building b, int status, long responseEndMicros, boolean complete) {
    return new Exchange(b.end.requestIndex(), b.end.method(), b.end.target(), b.end.mutating(), b.request.toByteArray(),
        b.response.toByteArray(), status, b.startMicros, b.endMicros, responseEndMicros, complete && status > 0);
  }
}
