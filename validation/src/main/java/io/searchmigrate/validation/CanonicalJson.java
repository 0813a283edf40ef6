package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One text per JSON value, so that two sources that mean the same compare equal: object keys sorted, numbers by value
 * ({@code 1}, {@code 1.0} and {@code 1e0} are one number), whitespace gone. Any content type a source can be stored
 * in (JSON, SMILE, CBOR, YAML) is read.
 *
 * <pre>{@code
 * CanonicalJson.of("{\"b\":1.0,\"a\":2}".getBytes(UTF_8));   // {"a":2,"b":1}
 * CanonicalJson.digest(source);   // 16 bytes, equal exactly when the canonical texts are
 * }</pre>
 *
 * <p>{@link #digest} is what the document comparison compares: a 128-bit hash of the same canonical form, written
 * straight from the parsed tree into one buffer (no text per key or value), so that only documents that differ ever
 * get their canonical text.
 */
public final class CanonicalJson {
  /** What the canonical text of a source that does not parse starts with (the stored text follows). */
  public static final String UNPARSABLE = "unparsable:";

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
      return UNPARSABLE + new String(source, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * A 128-bit digest of the canonical form of a stored {@code _source} (null when there is none): two sources have
   * equal digests exactly when {@link #of(byte[])} gives them equal texts (barring a 2^-128 collision).
   */
  public static byte[] digest(byte[] source) {
    if (source == null || source.length == 0) {
      return null;
    }
    HashInput out = new HashInput();
    try {
      out.put('J');
      digest(Json.parseXContent(source), out);
    } catch (IOException e) {
      out.clear();
      out.put('U'); // compared as it is stored, like of(byte[])
      out.put(source);
    }
    return out.hash();
  }

  /** The digest of an already parsed value, equal to {@link #digest(byte[])} of its stored form. */
  public static byte[] digest(JsonNode node) {
    HashInput out = new HashInput();
    out.put('J');
    digest(node, out);
    return out.hash();
  }

  /**
   * Writes the canonical form as tagged, length-prefixed binary: the same distinctions {@link #write} makes (sorted
   * keys, numbers by value, a string is not a number), so the hash of it is equal exactly when the texts are.
   */
  private static void digest(JsonNode node, HashInput out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.put('n');
    } else if (node.isObject()) {
      @SuppressWarnings("unchecked")
      Map.Entry<String, JsonNode>[] fields = new Map.Entry[node.size()];
      Iterator<Map.Entry<String, JsonNode>> each = node.fields();
      for (int i = 0; i < fields.length; i++) {
        fields[i] = each.next();
      }
      Arrays.sort(fields, Map.Entry.comparingByKey()); // entries, not names: no lookup of each value again
      out.put('{');
      out.putInt(fields.length);
      for (Map.Entry<String, JsonNode> field : fields) {
        out.putString(field.getKey());
        digest(field.getValue(), out);
      }
    } else if (node.isArray()) {
      out.put('[');
      out.putInt(node.size());
      for (JsonNode item : node) {
        digest(item, out);
      }
    } else if (node.isNumber()) {
      digestNumber(node, out);
    } else if (node.isTextual() || node.isBinary()) {
      out.put('s'); // a binary value's text is its base64, as of() writes it
      out.putString(node.asText());
    } else if (node.isBoolean()) {
      out.put(node.booleanValue() ? 't' : 'f');
    } else {
      out.put('o');
      out.putString(Json.toString(node));
    }
  }

  /** A number by its value: the unscaled digits and scale of its trailing-zero-free decimal, as number() prints it. */
  private static void digestNumber(JsonNode node, HashInput out) {
    long unscaled;
    int scale = 0;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      unscaled = node.longValue();
    } else {
      BigDecimal value;
      try {
        value = node.decimalValue();
      } catch (NumberFormatException e) {
        out.put('N'); // NaN or infinity
        out.putString(node.asText());
        return;
      }
      if (value.signum() == 0) {
        out.put('0');
        return;
      }
      value = value.stripTrailingZeros();
      BigInteger digits = value.unscaledValue();
      if (digits.bitLength() >= 64) {
        out.put('D');
        out.putString(value.toString());
        return;
      }
      unscaled = digits.longValue();
      scale = value.scale();
    }
    if (unscaled == 0) {
      out.put('0');
      return;
    }
    while (unscaled % 10 == 0) {
      unscaled /= 10;
      scale--;
    }
    out.put('d');
    out.putLong(unscaled);
    out.putInt(scale);
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
