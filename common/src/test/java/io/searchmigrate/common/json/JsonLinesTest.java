package io.searchmigrate.common.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonLinesTest {
  /** Byte by byte, as the definition says. */
  private static byte[] expected(byte[] bytes) {
    byte[] line = bytes.clone();
    for (int i = 0; i < line.length; i++) {
      if (line[i] == '\n' || line[i] == '\r') {
        line[i] = ' ';
      }
    }
    return line;
  }

  @Test
  void everyLineBreakBecomesASpaceWhereverItIsAndNothingElseChanges() {
    for (int length = 0; length <= 40; length++) {
      for (int at = 0; at < length; at++) {
        for (byte breakByte : new byte[] {'\n', '\r'}) {
          byte[] bytes = new byte[length];
          for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
          }
          bytes[at] = breakByte;
          assertEquals(at, Json.firstLineBreak(bytes), "length " + length + " at " + at);
          assertArrayEquals(expected(bytes), Json.lineBreaksAsSpaces(bytes), "length " + length + " at " + at);
        }
      }
    }
  }

  @Test
  void bytesWithoutLineBreaksAreReturnedAsTheyAreWhateverTheirValues() {
    Random random = new Random(42);
    for (int round = 0; round < 2_000; round++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      int first = -1;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n' || bytes[i] == '\r') {
          first = first < 0 ? i : first;
        }
      }
      assertEquals(first, Json.firstLineBreak(bytes));
      byte[] line = Json.lineBreaksAsSpaces(bytes);
      assertArrayEquals(expected(bytes), line);
      if (first < 0) {
        assertSame(bytes, line);
      }
    }
  }

  @Test
  void aPrettyPrintedSourceGoesOnOneLine() throws Exception {
    byte[] pretty = "{\n  \"a\" : 1,\r\n  \"b\" : \"x\"\n}".getBytes(StandardCharsets.UTF_8);
    assertEquals("{   \"a\" : 1,    \"b\" : \"x\" }", new String(Json.toSingleLineJson(pretty), StandardCharsets.UTF_8));
  }
}
