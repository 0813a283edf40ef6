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
  void aLostRecordMakesWhatItCutIncompleteUpToTheNextRequestEnd() {
    CaptureAssembler.Connection c = assembleWithout(1,
        record("n.1", 0, false, new CaptureRecord.Open(1, "c:1", "p", false), new CaptureRecord.RequestBytes(2, bytes("GET /a")),
            new CaptureRecord.RequestEnd(3, 0, "GET", "/a", false)),
        record("n.1", 1, false, new CaptureRecord.ResponseBytes(4, bytes("HTTP/1.1 200 OK\r\n"))),
        record("n.1", 2, false, new CaptureRecord.ResponseBytes(5, bytes("\r\n")), new CaptureRecord.ResponseEnd(6, 0, 200)),
        record("n.1", 3, false, new CaptureRecord.RequestBytes(7, bytes("GET /b")), new CaptureRecord.RequestEnd(8, 1, "GET", "/b", false),
            new CaptureRecord.ResponseBytes(9, bytes("r1")), new CaptureRecord.ResponseEnd(10, 1, 404)),
        record("n.1", 4, true, new CaptureRecord.RequestBytes(11, bytes("GET /c")), new CaptureRecord.RequestEnd(12, 2, "GET", "/c", false),
            new CaptureRecord.ResponseBytes(13, bytes("r2")), new CaptureRecord.ResponseEnd(14, 2, 201),
            new CaptureRecord.Close(15, CaptureFormat.CLOSED_BY_SOURCE)));

    assertEquals(List.of(1L), c.missingSequences());
    assertEquals(List.of("0 200 incomplete", "1 404 incomplete r1", "2 201 complete r2"), summaries(c));
  }

  @Test
  void aLostResponseEndDoesNotShiftLaterResponsesOntoEarlierRequests() {
    CaptureAssembler.Connection c = assembleWithout(1,
        record("n.1", 0, false, new CaptureRecord.Open(1, "c:1", "p", false),
            new CaptureRecord.RequestBytes(2, bytes("GET /a")), new CaptureRecord.RequestEnd(3, 0, "GET", "/a", false),
            new CaptureRecord.RequestBytes(4, bytes("GET /b")), new CaptureRecord.RequestEnd(5, 1, "GET", "/b", false)),
        record("n.1", 1, false, new CaptureRecord.ResponseBytes(6, bytes("r0")), new CaptureRecord.ResponseEnd(7, 0, 200)),
        record("n.1", 2, false, new CaptureRecord.ResponseBytes(8, bytes("r1")), new CaptureRecord.ResponseEnd(9, 1, 404)),
        record("n.1", 3, true, new CaptureRecord.RequestBytes(10, bytes("GET /c")), new CaptureRecord.RequestEnd(11, 2, "GET", "/c", false),
            new CaptureRecord.ResponseBytes(12, bytes("r2")), new CaptureRecord.ResponseEnd(13, 2, 201)));

    assertEquals(List.of("0 0 incomplete", "1 404 incomplete r1", "2 201 incomplete r2"), summaries(c));
  }

  @Test
  void aResponseWhoseRequestWasLostIsNotGivenToTheNextRequest() {
    CaptureAssembler.Connection c = assembleWithout(1,
        record("n.1", 0, false, new CaptureRecord.Open(1, "c:1", "p", false), new CaptureRecord.RequestBytes(2, bytes("GET /a")),
            new CaptureRecord.RequestEnd(3, 0, "GET", "/a", false), new CaptureRecord.ResponseBytes(4, bytes("r0")),
            new CaptureRecord.ResponseEnd(5, 0, 200)),
        record("n.1", 1, false, new CaptureRecord.RequestBytes(6, bytes("GET /b")), new CaptureRecord.RequestEnd(7, 1, "GET", "/b", false)),
        record("n.1", 2, false, new CaptureRecord.RequestBytes(8, bytes("GET /c")), new CaptureRecord.RequestEnd(9, 2, "GET", "/c", false),
            new CaptureRecord.ResponseBytes(10, bytes("r1")), new CaptureRecord.ResponseEnd(11, 1, 404),
            new CaptureRecord.ResponseBytes(12, bytes("r2")), new CaptureRecord.ResponseEnd(13, 2, 201)),
        record("n.1", 3, true, new CaptureRecord.RequestBytes(14, bytes("GET /d")), new CaptureRecord.RequestEnd(15, 3, "GET", "/d", false),
            new CaptureRecord.ResponseBytes(16, bytes("r3")), new CaptureRecord.ResponseEnd(17, 3, 200)));

    assertEquals(List.of("0 200 complete r0", "2 201 incomplete r2", "3 200 complete r3"), summaries(c));
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

  @Test
  void anAnswerBeforeTheRequestEndedStaysWithThatRequest() {
    CaptureAssembler assembler = new CaptureAssembler();
    assembler.add(record("n.1", 0, true, new CaptureRecord.Open(1, "c:1", "p", false),
        new CaptureRecord.RequestBytes(2, bytes("POST /big HTTP/1.1\r\ncontent-length: 999999\r\n\r\n{")),
        new CaptureRecord.ResponseBytes(3, bytes("HTTP/1.1 413 Request Entity Too Large\r\n\r\n")),
        new CaptureRecord.ResponseEnd(4, 0, 413), new CaptureRecord.Close(5, CaptureFormat.CLOSED_BY_SOURCE)));

    CaptureAssembler.Exchange e = assembler.connections().get(0).exchanges().get(0);

    assertEquals(-1, e.index(), "the request never ended");
    assertFalse(e.complete());
    assertEquals("HTTP/1.1 413 Request Entity Too Large\r\n\r\n", text(e.response()));
  }

  /** Assembles the records but the one with sequence {@code lost}, as if Kafka had dropped it. */
  private static CaptureAssembler.Connection assembleWithout(long lost, CaptureRecord... records) {
    CaptureAssembler assembler = new CaptureAssembler();
    for (CaptureRecord r : records) {
      if (r.sequence() != lost) {
        assembler.add(r);
      }
    }
    List<CaptureAssembler.Connection> connections = assembler.connections();
    assertEquals(1, connections.size());
    return connections.get(0);
  }

  /** "index status complete|incomplete [response]" per exchange. */
  private static List<String> summaries(CaptureAssembler.Connection c) {
    return c.exchanges().stream().map(e -> (e.index() + " " + e.status() + " " + (e.complete() ? "complete" : "incomplete") + " "
        + text(e.response())).strip()).toList();
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
