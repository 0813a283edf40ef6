package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Mappings and alias filters inside index metadata are stored as "compressed XContent" binary values
 * ({@code DFL\0} + DEFLATE of JSON) in snapshot blobs, and as plain objects elsewhere; this turns either into JSON.
 */
final class CompressedXContent {
  private CompressedXContent() {}

  static JsonNode decode(JsonNode value, String where) {
    if (value == null || value.isNull() || value.isMissingNode() || value.isObject()) {
      return value;
    }
    try {
      byte[] bytes = value.isBinary() ? value.binaryValue() : Base64.getDecoder().decode(value.asText());
      if (bytes.length >= 4 && bytes[0] == 'D' && bytes[1] == 'F' && bytes[2] == 'L' && bytes[3] == 0) {
        bytes = inflate(bytes);
      }
      return Json.parseXContent(bytes);
    } catch (IOException | DataFormatException | IllegalArgumentException e) {
      throw new SnapshotFormatException("cannot decode a compressed mapping or filter in " + where + ": " + e.getMessage(), e);
    }
  }

  private static byte[] inflate(byte[] data) throws DataFormatException {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(data, 4, data.length - 4);
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
      byte[] chunk = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }
}
