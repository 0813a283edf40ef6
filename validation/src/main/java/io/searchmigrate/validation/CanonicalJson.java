package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * One text per JSON value, so that two sources that mean the same compare equal: object keys sorted, numbers by value
 * ({@code 1}, {@code 1.0} and {@code 1e0} are one number), whitespace gone. Any content type a source can be stored
 * in (JSON, SMILE, CBOR, YAML) is read.
 *
 * <pre>{@code
 * CanonicalJson.of("{\"b\":1.0,\"a\":2}".getBytes(UTF_8));   // {"a":2,"b":1}
 * }</pre>
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** The canonical text of a stored {@code _source}, or null when there is none. */
  public static String of(byte[] source) {
    if (source == null || source.length == 0) {
      return null;
    }
    try {
      return of(Json.parseXContent(source));
    } catch (IOException e) {
      // a source that does not parse is compared as it is stored
      return "unparsable:" + new String(source, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  public static String of(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(Json.toString(Json.mapper().getNodeFactory().textNode(names.get(i)))).append(':');
        write(node.get(names.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      Iterator<JsonNode> items = node.elements();
      boolean first = true;
      while (items.hasNext()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(items.next(), out);
      }
      out.append(']');
    } else if (node.isNumber()) {
      out.append(number(node));
    } else {
      out.append(Json.toString(node));
    }
  }

  private static String number(JsonNode node) {
    BigDecimal value;
    try {
      value = node.decimalValue();
    } catch (NumberFormatException e) {
      return node.asText(); // NaN or infinity
    }
    if (value.signum() == 0) {
      return "0";
    }
    return value.stripTrailingZeros().toString();
  }
}
