package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.util.Base64;
import java.util.zip.DataFormatException;

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
      if (Deflate.isCompressed(bytes)) {
        bytes = Deflate.inflate(bytes);
      }
      return Json.parseXContent(bytes);
    } catch (IOException | DataFormatException | IllegalArgumentException e) {
      throw new SnapshotFormatException("cannot decode a compressed mapping or filter in " + where + ": " + e.getMessage(), e);
    }
  }
}
