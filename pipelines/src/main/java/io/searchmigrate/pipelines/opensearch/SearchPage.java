package io.searchmigrate.pipelines.opensearch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One page of a search answer (a scroll page, or the hits of an ids query): the scroll id, if any, and the hits as
 * documents, read in one streaming pass. Each {@code _source} is kept as the bytes the cluster sent (it copies a stored
 * JSON source as stored), not parsed into a tree and written again: that was half of a live read's CPU, and it keeps
 * the source byte for byte what the cluster holds, so that two copies written from the same bytes compare equal
 * without parsing either.
 *
 * <pre>{@code
 * SearchPage page = SearchPage.parse(response.body(), "orders", false);
 * String next = page.scrollId();
 * page.documents().forEach(out::output);
 * }</pre>
 */
record SearchPage(String scrollId, List<SourceDocument> documents) {

  /**
   * @param index the index read, for hits that do not name theirs
   * @param withTypes whether the mapping type of each hit is kept (Elasticsearch 5 and 6)
   */
  static SearchPage parse(byte[] body, String index, boolean withTypes) {
    String scrollId = null;
    List<SourceDocument> documents = new ArrayList<>();
    try (JsonParser parser = Json.mapper().getFactory().createParser(body)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "a search answer");
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("_scroll_id") && value == JsonToken.VALUE_STRING) {
          scrollId = parser.getText();
        } else if (field.equals("hits") && value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String inner = parser.currentName();
            JsonToken hits = parser.nextToken();
            if (inner.equals("hits") && hits == JsonToken.START_ARRAY) {
              while (parser.nextToken() == JsonToken.START_OBJECT) {
                documents.add(hit(parser, body, index, withTypes));
              }
            } else {
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a search answer that is not the JSON a search answers with: " + e.getMessage(), e);
    }
    return new SearchPage(scrollId, documents);
  }

  /** One hit, the parser on its START_OBJECT; leaves it on the hit's END_OBJECT. */
  private static SourceDocument hit(JsonParser parser, byte[] body, String index, boolean withTypes) throws IOException {
    String hitIndex = index;
    String type = null;
    String id = "";
    String routing = null;
    byte[] source = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "_index" -> hitIndex = value.isScalarValue() && value != JsonToken.VALUE_NULL ? parser.getText() : index;
        case "_type" -> type = withTypes && value.isScalarValue() && value != JsonToken.VALUE_NULL ? parser.getText()
            : null;
        case "_id" -> id = value.isScalarValue() && value != JsonToken.VALUE_NULL ? parser.getText() : "";
        case "_routing" -> routing = value.isScalarValue() && value != JsonToken.VALUE_NULL ? parser.getText() : null;
        case "_source" -> source = value == JsonToken.START_OBJECT ? slice(parser, body)
            : value == JsonToken.VALUE_NULL ? null : Json.toBytes(parser.readValueAsTree());
        default -> parser.skipChildren();
      }
    }
    return new SourceDocument(hitIndex, type, id, routing, source);
  }

  /** The bytes of the object the parser is on, as they are in the body; leaves the parser on its END_OBJECT. */
  private static byte[] slice(JsonParser parser, byte[] body) throws IOException {
    int start = (int) parser.currentTokenLocation().getByteOffset();
    parser.skipChildren();
    int end = (int) parser.currentLocation().getByteOffset();
    if (start < 0 || end > body.length || end <= start || body[start] != '{' || body[end - 1] != '}') {
      throw new IOException("cannot locate a _source in the answer (offsets " + start + ".." + end + ")");
    }
    return Arrays.copyOfRange(body, start, end);
  }

  private static void expect(JsonToken found, JsonToken expected, String what) throws IOException {
    if (found != expected) {
      throw new IOException("expected " + what + " (" + expected + "), found " + found);
    }
  }
}
