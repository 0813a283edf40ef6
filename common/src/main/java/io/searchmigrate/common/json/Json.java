package io.searchmigrate.common.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The project's one JSON layer: shared Jackson mappers for JSON and for the binary forms Elasticsearch
 * stores (SMILE snapshot metadata; SMILE, CBOR or YAML document sources), plus the few helpers every
 * module needs.
 *
 * <pre>{@code
 * JsonNode health = Json.parse(bytes);
 * byte[] line = Json.toSingleLineJson(sourceBytes);   // any XContent -> one NDJSON-safe line
 * }</pre>
 */
public final class Json {
  private static final ObjectMapper JSON = configure(new ObjectMapper(
      JsonFactory.builder().enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build()));
  private static final ObjectMapper PRETTY = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT);
  /** Elasticsearch writes SMILE with shared names and raw binary; symbol hash overflow checks off, as it does. */
  private static final ObjectMapper SMILE = configure(new ObjectMapper(
      SmileFactory.builder().disable(SmileParser.Feature.REQUIRE_HEADER).build()
          .disable(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW)));
  private static final ObjectMapper CBOR = configure(new ObjectMapper(new CBORFactory()));
  private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));

  private Json() {}

  private static ObjectMapper configure(ObjectMapper mapper) {
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, false);
    // Decimals stay exactly as written (no 1.2E+2 for 120.0) when a document is parsed and written again.
    mapper.configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);
    mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    mapper.setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    return mapper;
  }

  public static ObjectMapper mapper() {
    return JSON;
  }

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** Parses JSON text. */
  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Parses JSON bytes. */
  public static JsonNode parse(byte[] json) {
    try {
      JsonNode node = JSON.readTree(json);
      return node == null ? JsonNodeFactory.instance.missingNode() : node;
    } catch (IOException e) {
      throw new UncheckedIOException("not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Parses JSON bytes; null for what is not JSON (or empty), where a caller can do without it. */
  public static JsonNode parseOrNull(byte[] json) {
    try {
      return json == null || json.length == 0 ? null : JSON.readTree(json);
    } catch (IOException e) {
      return null;
    }
  }

  /** Parses a SMILE document (Elasticsearch's binary metadata format). */
  public static JsonNode parseSmile(byte[] bytes, int offset, int length) throws IOException {
    return SMILE.readTree(SMILE.getFactory().createParser(bytes, offset, length));
  }

  /**
   * A streaming parser over YAML text, for readers that report each value's line and column (configuration files).
   * The caller closes it.
   */
  public static JsonParser yamlParser(String yaml) throws IOException {
    return YAML.getFactory().createParser(yaml);
  }

  /** Parses bytes in whichever content type Elasticsearch accepted them: JSON, SMILE, CBOR or YAML. */
  public static JsonNode parseXContent(byte[] bytes) throws IOException {
    return mapperFor(XContentType.detect(bytes, 0, bytes.length)).readTree(bytes);
  }

  private static ObjectMapper mapperFor(XContentType type) {
    switch (type) {
      case SMILE: return SMILE;
      case CBOR: return CBOR;
      case YAML: return YAML;
      default: return JSON;
    }
  }

  public static byte[] toBytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toString(JsonNode node) {
    return new String(toBytes(node), StandardCharsets.UTF_8);
  }

  public static String toPrettyString(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns the document as JSON on a single line, safe for an NDJSON bulk body.
   *
   * <p>JSON sources are kept byte for byte except that CR and LF become spaces: valid JSON cannot hold a raw
   * line break inside a string, so every line break is whitespace between tokens (Elasticsearch stores
   * pretty-printed sources exactly as clients sent them). Other content types are converted to JSON.
   */
  public static byte[] toSingleLineJson(byte[] source) throws IOException {
    XContentType type = XContentType.detect(source, 0, source.length);
    if (type != XContentType.JSON) {
      return JSON.writeValueAsBytes(mapperFor(type).readTree(source));
    }
    return lineBreaksAsSpaces(source);
  }

  /**
   * The bytes with each CR and LF made a space; the same array when there is none (no copy). Scanned eight bytes at a
   * time: every source of a backfill and of a validation goes through it.
   */
  public static byte[] lineBreaksAsSpaces(byte[] bytes) {
    int first = firstLineBreak(bytes);
    if (first < 0) {
      return bytes;
    }
    byte[] line = bytes.clone();
    for (int i = first; i < line.length; i++) {
      if (line[i] == '\n' || line[i] == '\r') {
        line[i] = ' ';
      }
    }
    return line;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** Where the first CR or LF is, or -1. */
  static int firstLineBreak(byte[] bytes) {
    int i = 0;
    for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      if (holdsByte(word, '\n' * ONES) || holdsByte(word, '\r' * ONES)) {
        break; // the exact place is found byte by byte below
      }
    }
    for (; i < bytes.length; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        return i;
      }
    }
    return -1;
  }

  /** Whether one of the word's eight bytes is the byte that {@code repeated} holds eight times. */
  private static boolean holdsByte(long word, long repeated) {
    long x = word ^ repeated; // a zero byte where they match
    return ((x - ONES) & ~x & HIGHS) != 0;
  }
}
