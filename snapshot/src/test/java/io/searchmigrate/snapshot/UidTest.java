package io.searchmigrate.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.snapshot.lucene.Uid;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Elasticsearch's three binary _id forms (pure logic, so a unit test suffices). */
class UidTest {
  private static String decode(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return Uid.decode(b, 0, b.length);
  }

  @Test
  void numericIdsArePackedDecimal() {
    assertEquals("42", decode(0xFE, 0x42));
    assertEquals("007", decode(0xFE, 0x00, 0x7F));
    assertEquals("1234567", decode(0xFE, 0x12, 0x34, 0x56, 0x7F));
  }

  @Test
  void utf8Ids() {
    byte[] text = "complexdoc é".getBytes(StandardCharsets.UTF_8);
    byte[] encoded = new byte[text.length + 1];
    encoded[0] = (byte) 0xFF;
    System.arraycopy(text, 0, encoded, 1, text.length);
    assertEquals("complexdoc é", Uid.decode(encoded, 0, encoded.length));
  }

  @Test
  void base64IdsRoundTrip() {
    byte[] raw = Base64.getUrlDecoder().decode("unchangeddoc");
    assertEquals("unchangeddoc", Uid.decode(raw, 0, raw.length));
    byte[] auto = Base64.getUrlDecoder().decode("dkO8Zo4B5P7rRiUeuFRC");
    assertEquals("dkO8Zo4B5P7rRiUeuFRC", Uid.decode(auto, 0, auto.length));
  }

  @Test
  void escapedBase64WhoseFirstByteWouldClash() {
    // "_9" + ... decodes to a first byte >= 0xFD, which Elasticsearch escapes with a leading 0xFD
    byte[] raw = Base64.getUrlDecoder().decode("_-8A");
    byte[] escaped = new byte[raw.length + 1];
    escaped[0] = (byte) 0xFD;
    System.arraycopy(raw, 0, escaped, 1, raw.length);
    assertEquals("_-8A", Uid.decode(escaped, 0, escaped.length));
  }
}
