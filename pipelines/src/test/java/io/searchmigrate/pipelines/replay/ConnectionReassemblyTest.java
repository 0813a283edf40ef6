package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.capture.CaptureRecord.Observation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Requests come out of a connection's records as they arrive, in order, and a lost record is said, never guessed. */
class ConnectionReassemblyTest {
  private static final String CHUNKED_PUT = "PUT /i/_doc/2 HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n"
      + "5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n";

  /** Two pipelined requests (the second chunked, its bytes spread over three records), then a close. */
  private static List<Observation> pipelined() {
    return List.of(
        new CaptureRecord.Open(100, "127.0.0.1:5000", "127.0.0.1:9201", false),
        new CaptureRecord.RequestBytes(101, bytes("GET /a HTTP/1.1\r\n")),
        new CaptureRecord.RequestBytes(101, bytes("\r\n")),
        new CaptureRecord.RequestEnd(102, 0, "GET", "/a", false),
        new CaptureRecord.RequestBytes(103, bytes(CHUNKED_PUT.substring(0, 30))),
        new CaptureRecord.RequestBytes(103, bytes(CHUNKED_PUT.substring(30, 60))),
        new CaptureRecord.RequestBytes(103, bytes(CHUNKED_PUT.substring(60))),
        new CaptureRecord.RequestEnd(104, 1, "PUT", "/i/_doc/2", true),
        new CaptureRecord.ResponseBytes(105, bytes("HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\na")),
        new CaptureRecord.ResponseEnd(106, 0, 200),
        new CaptureRecord.ResponseBytes(107, bytes("HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n")),
        new CaptureRecord.ResponseEnd(108, 1, 201),
        new CaptureRecord.Close(110, CaptureFormat.CLOSED_BY_CLIENT));
  }

  @Test
  void pipelinedAndChunkedRequestsComeOutInOrderWhateverTheRecordOrder() {
    List<CaptureRecord> records = records("n.1", pipelined(), 2);
    for (long seed = 0; seed <= 5; seed++) {
      List<CaptureRecord> readOrder = new ArrayList<>(records);
      if (seed > 0) {
        Collections.shuffle(readOrder, new Random(seed));
      }
      ConnectionReassembly connection = new ConnectionReassembly(64);
      List<CapturedRequest> out = new ArrayList<>();
      for (CaptureRecord r : readOrder) {
        out.addAll(connection.add(r));
      }
      assertEquals(2, out.size(), "seed " + seed);
      assertRequest(out.get(0), 0, "GET", "/a", "GET /a HTTP/1.1\r\n\r\n", 200, true);
      assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\na", text(out.get(0).response()));
      assertEquals(101, out.get(0).requestStartMicros());
      assertEquals(106, out.get(0).responseEndMicros());
      assertRequest(out.get(1), 1, "PUT", "/i/_doc/2", CHUNKED_PUT, 201, true);
      assertTrue(out.get(1).mutating());
      assertTrue(connection.finished());
      assertEquals(0, connection.missingRecords());
    }
  }

  @Test
  void aRequestSplitAcrossRecordsWaitsForItsLastPieceAndKeepsOnlyWhatIsInProgress() {
    ConnectionReassembly connection = new ConnectionReassembly(64);
    List<CaptureRecord> records = records("n.2", pipelined(), 1);
    for (int i = 0; i < 9; i++) {
      assertEquals(List.of(), connection.add(records.get(i)), "record " + i + " completes nothing yet");
    }
    List<CapturedRequest> first = connection.add(records.get(9)); // RESPONSE_END of request 0
    assertEquals(1, first.size());
    assertEquals(0, first.get(0).index());
    long afterFirst = connection.bufferedBytes();
    assertEquals(CHUNKED_PUT.length(), afterFirst, "only the pipelined PUT is still kept");
    assertEquals(List.of(), connection.add(records.get(10)));
    assertEquals(1, connection.add(records.get(11)).size());
    assertEquals(0, connection.bufferedBytes());
    assertFalse(connection.finished(), "the close has not been seen");
    assertEquals(List.of(), connection.add(records.get(12)));
    assertTrue(connection.finished());
  }

  @Test
  void recordsAreReleasedForCommittingOnlyOnceNothingOfTheirConnectionIsInProgress() {
    ConnectionReassembly connection = new ConnectionReassembly(64);
    List<CaptureRecord> records = records("n.4", pipelined(), 1);
    List<Long> released = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      connection.add(records.get(i), 100 + i);
      List<Long> now = connection.releasedOffsets();
      if (i == 0) {
        assertEquals(List.of(100L), now, "the OPEN alone leaves nothing in progress");
      } else if (i < 11) {
        assertEquals(List.of(), now, "record " + i + ": a request still waits for bytes or its answer");
      }
      released.addAll(now);
    }
    assertEquals(java.util.stream.LongStream.range(100, 100 + records.size()).boxed().toList(), released);
  }

  @Test
  void aConnectionFirstSeenWithoutItsBeginningJoinsMidwayWithoutCountingLoss() {
    List<CaptureRecord> records = records("n.5", pipelined(), 1);
    ConnectionReassembly connection = new ConnectionReassembly(64);
    List<CapturedRequest> out = new ArrayList<>();
    for (CaptureRecord r : records.subList(9, records.size())) { // resumed after the first request's records
      out.addAll(connection.add(r, r.sequence()));
    }
    assertEquals(List.of(), out, "held: the records before may still come");
    assertTrue(connection.waitsForItsBeginning());
    out.addAll(connection.joinMidway());
    assertEquals(0, connection.missingRecords());
    assertTrue(connection.finished());
    assertEquals(List.of(), out.stream().filter(CapturedRequest::complete).toList(),
        "answers of requests replayed before: nothing to send");

    ConnectionReassembly fromStart = new ConnectionReassembly(64);
    fromStart.add(records.get(1), 1);
    assertTrue(fromStart.waitsForItsBeginning(), "no OPEN seen yet");
    fromStart.add(records.get(0), 0);
    assertFalse(fromStart.waitsForItsBeginning(), "its beginning came: no joining");
  }

  @Test
  void aGapMakesWhatItMayHaveCutIncompleteAndTheNextRequestIsSentWhole() {
    List<Observation> observations = new ArrayList<>(pipelined());
    observations.addAll(12, List.of(
        new CaptureRecord.RequestBytes(111, bytes("GET /c HTTP/1.1\r\n\r\n")),
        new CaptureRecord.RequestEnd(112, 2, "GET", "/c", false),
        new CaptureRecord.ResponseBytes(113, bytes("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")),
        new CaptureRecord.ResponseEnd(114, 2, 404)));
    List<CaptureRecord> records = new ArrayList<>(records("n.3", observations, 1));
    records.remove(5); // the middle of the chunked PUT is lost

    ConnectionReassembly connection = new ConnectionReassembly(3);
    List<CapturedRequest> out = new ArrayList<>();
    for (CaptureRecord r : records) {
      out.addAll(connection.add(r));
    }
    out.addAll(connection.giveUpWaiting());
    assertEquals(List.of(0, 1, 2), out.stream().map(CapturedRequest::index).toList());
    assertFalse(out.get(0).complete(), "the GET was waiting for its answer: it may have been in the lost record");
    assertFalse(out.get(1).complete(), "the PUT lost bytes: skipped, never guessed");
    assertRequest(out.get(2), 2, "GET", "/c", "GET /c HTTP/1.1\r\n\r\n", 404, true);
    assertEquals(1, connection.missingRecords());
    assertTrue(connection.finished());
  }

  @Test
  void aRecordReadTwiceIsTakenOnce() {
    List<CaptureRecord> records = records("n.4", pipelined(), 4);
    ConnectionReassembly connection = new ConnectionReassembly(64);
    List<CapturedRequest> out = new ArrayList<>();
    for (CaptureRecord r : records) {
      out.addAll(connection.add(r));
      out.addAll(connection.add(r));
    }
    assertEquals(List.of(0, 1), out.stream().map(CapturedRequest::index).toList());
  }

  @Test
  void stateSurvivesJavaSerializationBetweenRecords() throws Exception {
    List<CaptureRecord> records = records("n.5", pipelined(), 3);
    ConnectionReassembly connection = new ConnectionReassembly(64);
    List<CapturedRequest> out = new ArrayList<>();
    for (CaptureRecord r : records) {
      out.addAll(connection.add(r));
      connection = roundTrip(connection);
    }
    assertEquals(2, out.size());
    assertEquals(CHUNKED_PUT, text(out.get(1).request()));
  }

  private static ConnectionReassembly roundTrip(ConnectionReassembly state) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(state);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ConnectionReassembly) in.readObject();
    }
  }

  private static void assertRequest(CapturedRequest r, int index, String method, String target, String request,
      int status, boolean complete) {
    assertEquals(index, r.index());
    assertEquals(method, r.method());
    assertEquals(target, r.target());
    assertEquals(request, text(r.request()));
    assertEquals(status, r.status());
    assertEquals(complete, r.complete());
  }

  static List<CaptureRecord> records(String connectionId, List<Observation> observations, int perRecord) {
    List<CaptureRecord> records = new ArrayList<>();
    for (int from = 0; from < observations.size(); from += perRecord) {
      int to = Math.min(observations.size(), from + perRecord);
      records.add(new CaptureRecord(CaptureFormat.VERSION, to == observations.size(), records.size(), "n",
          connectionId, observations.subList(from, to)));
    }
    return records;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
