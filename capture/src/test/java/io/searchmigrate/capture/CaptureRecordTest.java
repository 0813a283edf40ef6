package io.searchmigrate.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record layout is exactly the documented one (proxy/README.md), and anything else is refused with a reason. */
class CaptureRecordTest {
  /** A record written out by hand from the documented layout, so neither side of the code can drift from it. */
  private static final byte[] DOCUMENTED = hex("""
      534D4350 01 01                  magic SMCP, version 1, flags LAST
      0000000000000007 00000004       sequence 7, 4 observations
      0002 6E31  0004 6E312E33        node id "n1", connection id "n1.3"
      01 00000000000F4240             OPEN at 1000000 us
         0009 312E322E332E343A35      client "1.2.3.4:5"
         0003 703A31  01              proxy "p:1", tls
      02 00000000000F4241             REQUEST_BYTES at 1000001 us
         00000002 6869                "hi"
      03 00000000000F4242             REQUEST_END at 1000002 us
         00000000 0003 505554 0002 2F69 01   request 0, "PUT", "/i", mutating
      05 00000000001E8480             RESPONSE_END at 2000000 us
         00000000 0194                request 0, status 404
      """);

  @Test
  void theDocumentedLayoutDecodesAndEncodesByteForByte() {
    CaptureRecord record = CaptureRecord.decode(DOCUMENTED);

    assertEquals(1, record.version());
    assertEquals(true, record.last());
    assertEquals(7, record.sequence());
    assertEquals("n1", record.nodeId());
    assertEquals("n1.3", record.connectionId());
    assertEquals(4, record.observations().size());
    assertEquals(new CaptureRecord.Open(1_000_000, "1.2.3.4:5", "p:1", true), record.observations().get(0));
    CaptureRecord.RequestBytes bytes = (CaptureRecord.RequestBytes) record.observations().get(1);
    assertEquals(1_000_001, bytes.timestampMicros());
    assertEquals("hi", new String(bytes.data(), StandardCharsets.UTF_8));
    assertEquals(new CaptureRecord.RequestEnd(1_000_002, 0, "PUT", "/i", true), record.observations().get(2));
    assertEquals(new CaptureRecord.ResponseEnd(2_000_000, 0, 404), record.observations().get(3));

    assertArrayEquals(DOCUMENTED, record.encode());
  }

  @Test
  void everyObservationTypeSurvivesEncodeAndDecode() {
    List<CaptureRecord.Observation> observations = List.of(
        new CaptureRecord.Open(10, "[::1]:40000", "127.0.0.1:9201", false),
        new CaptureRecord.RequestBytes(11, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.UTF_8)),
        new CaptureRecord.RequestEnd(12, 0, "GET", "/", false),
        new CaptureRecord.ResponseBytes(13, new byte[] {0, (byte) 0xFF, 10}),
        new CaptureRecord.ResponseEnd(14, 0, 65535),
        new CaptureRecord.RequestSkipped(15, 1, "GET", "/_cat/health?v=true&ü", CaptureFormat.SKIPPED_BY_RULE),
        new CaptureRecord.Error(16, "the source closed the connection"),
        new CaptureRecord.Close(17, CaptureFormat.CLOSED_BY_SOURCE));
    CaptureRecord record = new CaptureRecord(CaptureFormat.VERSION, false, Long.MAX_VALUE, "", "node-é.1", observations);

    CaptureRecord decoded = CaptureRecord.decode(record.encode());

    assertEquals(false, decoded.last());
    assertEquals(Long.MAX_VALUE, decoded.sequence());
    assertEquals("", decoded.nodeId());
    assertEquals("node-é.1", decoded.connectionId());
    assertEquals(observations.size(), decoded.observations().size());
    for (int i = 0; i < observations.size(); i++) {
      CaptureRecord.Observation want = observations.get(i);
      CaptureRecord.Observation have = decoded.observations().get(i);
      if (want instanceof CaptureRecord.RequestBytes w) {
        assertArrayEquals(w.data(), ((CaptureRecord.RequestBytes) have).data(), "observation " + i);
        assertEquals(w.timestampMicros(), have.timestampMicros());
      } else if (want instanceof CaptureRecord.ResponseBytes w) {
        assertArrayEquals(w.data(), ((CaptureRecord.ResponseBytes) have).data(), "observation " + i);
        assertEquals(w.timestampMicros(), have.timestampMicros());
      } else {
        assertEquals(want, have, "observation " + i);
      }
    }
  }

  @Test
  void anythingThatIsNotAVersion1RecordIsRefusedWithTheReason() {
    assertRefused("not a capture record (no SMCP magic)", "{\"json\":true}".getBytes(StandardCharsets.UTF_8));
    assertRefused("truncated capture record", new byte[] {'S', 'M'});

    byte[] version2 = DOCUMENTED.clone();
    version2[4] = 2;
    assertRefused("capture format version 2 is not supported (this build reads 1)", version2);

    assertRefused("truncated capture record", Arrays.copyOf(DOCUMENTED, DOCUMENTED.length - 1));

    byte[] trailing = Arrays.copyOf(DOCUMENTED, DOCUMENTED.length + 3);
    assertRefused("3 unexpected bytes after the last observation", trailing);

    byte[] unknownType = DOCUMENTED.clone();
    unknownType[54] = 9; // the type of REQUEST_BYTES: after the fixed header (18), the two ids (10) and OPEN (26)
    assertRefused("unknown observation type 9", unknownType);

    byte[] overlong = DOCUMENTED.clone();
    overlong[63] = 0x7F; // the high byte of REQUEST_BYTES' length, after its type and timestamp
    assertRefused("bytes observation claims 2130706434 bytes, 40 remain", overlong);
  }

  @Test
  void valuesTheFormatCannotHoldAreNotWritten() {
    String tooLong = "x".repeat(65_536);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CaptureRecord(CaptureFormat.VERSION, false, 0,
        "n", "n.1", List.of(new CaptureRecord.Error(0, tooLong))).encode());
    assertEquals("string length 65536 does not fit the capture format (0..65535)", e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> new CaptureRecord(2, false, 0, "n", "n.1", List.of()).encode());
    assertEquals("only capture format version 1 can be written, not 2", e.getMessage());
  }

  private static void assertRefused(String reason, byte[] value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaptureRecord.decode(value));
    assertEquals(reason, e.getMessage());
  }

  /** Hex digits of each line up to the first run of three spaces; the rest of a line is a comment. */
  private static byte[] hex(String annotated) {
    StringBuilder digits = new StringBuilder();
    for (String line : annotated.strip().split("\n")) {
      String code = line.strip();
      int comment = code.indexOf("   ");
      digits.append((comment < 0 ? code : code.substring(0, comment)).replace(" ", ""));
    }
    return HexFormat.of().parseHex(digits);
  }
}
