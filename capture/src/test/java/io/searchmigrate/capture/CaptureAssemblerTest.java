package io.searchmigrate.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.capture.CaptureRecord.Observation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Connections are rebuilt exchange by exchange from records in any order; what was lost is said, never papered over. */
class CaptureAssemblerTest {
  @Test
  void pipelinedExchangesReassembleFromRecordsInAnyOrder() {
    List<Observation> observations = List.of(
        new CaptureRecord.Open(100, "127.0.0.1:5000", "127.0.0.1:9201", false),
        new CaptureRecord.RequestBytes(101, bytes("GET /a HTTP/1.1\r\n")),
        new CaptureRecord.RequestBytes(101, bytes("\r\n")),
        new CaptureRecord.RequestEnd(102, 0, "GET", "/a", false),
        new CaptureRecord.RequestBytes(103, bytes("PUT /b HTTP/1.1\r\ncontent-length: 0\r\n\r\n")),
        new CaptureRecord.RequestEnd(104, 1, "PUT", "/b", true),
        new CaptureRecord.ResponseBytes(105, bytes("HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\na")),
        new CaptureRecord.ResponseEnd(106, 0, 200),
        new CaptureRecord.ResponseBytes(107, bytes("HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n")),
        new CaptureRecord.ResponseEnd(108, 1, 201),
        new CaptureRecord.RequestSkipped(109, 2, "GET", "/_cat/health", CaptureFormat.SKIPPED_BY_RULE),
        new CaptureRecord.Close(110, CaptureFormat.CLOSED_BY_CLIENT));
    List<CaptureRecord> records = records("n.1", observations, 3);

    for (long seed = 1; seed <= 5; seed++) {
      List<CaptureRecord> shuffled = new ArrayList<>(records);
      Collections.shuffle(shuffled, new Random(seed));
      CaptureAssembler assembler = new CaptureAssembler();
      shuffled.forEach(assembler::add);

      List<CaptureAssembler.Connection> connections = assembler.connections();
      assertEquals(1, connections.size());
      CaptureAssembler.Connection c = connections.get(0);
      assertEquals("n.1", c.id());
      assertEquals("n", c.nodeId());
      assertEquals(100, c.openedMicros());
      assertEquals(List.of(), c.missingSequences());
      assertTrue(c.ended(), "the last record says the connection ended");
      assertEquals(CaptureFormat.CLOSED_BY_CLIENT, c.closedBy());
      assertEquals(110, c.closedMicros());
      assertEquals(2, c.exchanges().size());

      CaptureAssembler.Exchange first = c.exchanges().get(0);
      assertEquals(new CaptureAssembler.Exchange(0, "GET", "/a", false, first.request(), first.response(), 200, 101, 102, 106, true), first);
      assertEquals("GET /a HTTP/1.1\r\n\r\n", text(first.request()));
      assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\na", text(first.response()));

      CaptureAssembler.Exchange second = c.exchanges().get(1);
      assertEquals(new CaptureAssembler.Exchange(1, "PUT", "/b", true, second.request(), second.response(), 201, 103, 104, 108, true),
          second);
      assertEquals("PUT /b HTTP/1.1\r\ncontent-length: 0\r\n\r\n", text(second.request()));
      assertEquals("HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n", text(second.response()));

      assertEquals(List.of(observations.get(10)), c.skipped());
    }
  }

  @Test
  void connectionsComeInOpeningOrderThenByIdWhateverTheReadOrder() {
    List<CaptureRecord> records = new ArrayList<>();
    records.addAll(records("n.2", List.of(new CaptureRecord.Open(50, "c:2", "p", false)), 1));
    records.addAll(records("n.1", List.of(new CaptureRecord.Open(50, "c:1", "p", false)), 1));
    records.addAll(records("n.3", List.of(new CaptureRecord.Open(10, "c:3", "p", false)), 1));
    // its opening was lost: it counts as opened when its first request started
    records.addAll(records("n.0", List.of(new CaptureRecord.RequestBytes(70, bytes("GET")),
        new CaptureRecord.RequestEnd(71, 0, "GET", "/", false)), 1));

    for (boolean reversed : new boolean[] {false, true}) {
      List<CaptureRecord> readOrder = new ArrayList<>(records);
      if (reversed) {
        Collections.reverse(readOrder);
      }
      CaptureAssembler assembler = new CaptureAssembler();
      readOrder.forEach(assembler::add);
      assertEquals(List.of("n.3", "n.1", "n.2", "n.0"), assembler.connections().stream().map(CaptureAssembler.Connection::id).toList(),
          reversed ? "records read in reverse" : "records read in order");
    }
  }

  @Test
  void aLostRecordLeavesTheExchangeItCutIncompleteAndTheNextOneWhole() {
    List<CaptureRecord> records = new ArrayList<>();
    records.add(record("n.1", 0, false, new CaptureRecord.Open(1, "c:1", "p", false), new CaptureRecord.RequestBytes(2, bytes("GET /a")),
        new CaptureRecord.RequestEnd(3, 0, "GET", "/a", false)));
    records.add(record("n.1", 1, false, new CaptureRecord.ResponseBytes(4, bytes("HTTP/1.1 200 OK\r\n"))));
    records.add(record("n.1", 2, false, new CaptureRecord.ResponseBytes(5, bytes("\r\n")), new CaptureRecord.ResponseEnd(6, 0, 200)));
    records.add(record("n.1", 3, true, new CaptureRecord.RequestBytes(7, bytes("GET /b")), new CaptureRecord.RequestEnd(8, 1, "GET", "/b", false),
        new CaptureRecord.ResponseBytes(9, bytes("HTTP/1.1 404 Not Found\r\n\r\n")), new CaptureRecord.ResponseEnd(10, 1, 404),
        new CaptureRecord.Close(11, CaptureFormat.CLOSED_BY_SOURCE)));
    records.remove(1);

    CaptureAssembler assembler = new CaptureAssembler();
    records.forEach(assembler::add);
    CaptureAssembler.Connection c = assembler.connections().get(0);

    assertEquals(List.of(1L), c.missingSequences());
    assertEquals(List.of(0, 1), c.exchanges().stream().map(CaptureAssembler.Exchange::index).toList());
    assertFalse(c.exchanges().get(0).complete(), "the response of request 0 lost bytes");
    assertEquals(200, c.exchanges().get(0).status());
    assertTrue(c.exchanges().get(1).complete(), "request 1 and its response came after the gap, whole");
    assertEquals("HTTP/1.1 404 Not Found\r\n\r\n", text(c.exchanges().get(1).response()));
  }

  @Test
  void aConnectionStillOpenWhenReadShowsItsUnansweredRequestAsIncomplete() {
    CaptureAssembler assembler = new CaptureAssembler();
    assembler.add(record("n.1", 0, false, new CaptureRecord.Open(1, "c:1", "p", true), new CaptureRecord.RequestBytes(2, bytes("GET /slow")),
        new CaptureRecord.RequestEnd(3, 0, "GET", "/slow", false), new CaptureRecord.ResponseBytes(4, bytes("HTTP/1.1 200"))));

    CaptureAssembler.Connection c = assembler.connections().get(0);

    assertFalse(c.ended());
    assertEquals(0, c.closedBy());
    assertTrue(c.open().tls());
    CaptureAssembler.Exchange e = c.exchanges().get(0);
    assertEquals(0, e.status());
    assertEquals(0, e.responseEndMicros());
    assertFalse(e.complete());
    assertEquals("HTTP/1.1 200", text(e.response()));
    assertEquals(List.of(), c.errors());
  }

  /** The observations of one connection cut into records of {@code perRecord}, numbered from 0, the last flagged. */
  static List<CaptureRecord> records(String connectionId, List<Observation> observations, int perRecord) {
    List<CaptureRecord> records = new ArrayList<>();
    for (int from = 0; from < observations.size(); from += perRecord) {
      int to = Math.min(observations.size(), from + perRecord);
      records.add(new CaptureRecord(CaptureFormat.VERSION, to == observations.size(), records.size(), node(connectionId), connectionId,
          observations.subList(from, to)));
    }
    return records;
  }

  static CaptureRecord record(String connectionId, long sequence, boolean last, Observation... observations) {
    return new CaptureRecord(CaptureFormat.VERSION, last, sequence, node(connectionId), connectionId, List.of(observations));
  }

  private static String node(String connectionId) {
    return connectionId.substring(0, connectionId.lastIndexOf('.'));
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
