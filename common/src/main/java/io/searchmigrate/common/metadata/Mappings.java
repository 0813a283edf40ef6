package io.searchmigrate.common.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads mappings in every shape sources write them: typed ({@code {"doc": {"properties": ...}}}), typeless
 * ({@code {"properties": ...}}, filed under {@code _doc}), or a snapshot's array of (possibly compressed) entries.
 */
public final class Mappings {
  /** Keys that only appear at the root of a mapping body, never as a type name. */
  private static final Set<String> ROOT_KEYS = Set.of("properties", "dynamic", "_source", "_all", "dynamic_templates", "_meta",
      "_routing", "date_detection", "numeric_detection", "dynamic_date_formats", "enabled", "_field_names", "_size", "runtime",
      "_data_stream_timestamp", "subobjects", "_parent", "_timestamp", "_ttl", "include_in_all", "_id", "_index");

  private Mappings() {}

  /**
   * @param decode turns a stored entry into JSON (snapshots compress them); identity for live clusters
   */
  public static Map<String, JsonNode> byType(JsonNode mappings, UnaryOperator<JsonNode> decode) {
    Map<String, JsonNode> byType = new LinkedHashMap<>();
    if (mappings == null || mappings.isNull() || mappings.isMissingNode()) {
      return byType;
    }
    if (mappings.isArray()) {
      for (JsonNode entry : mappings) {
        addObject(decode.apply(entry), byType);
      }
    } else {
      addObject(decode.apply(mappings), byType);
    }
    return byType;
  }

  private static void addObject(JsonNode mappings, Map<String, JsonNode> byType) {
    if (mappings == null || !mappings.isObject() || mappings.size() == 0) {
      return;
    }
    boolean typeless = false;
    for (Iterator<String> keys = mappings.fieldNames(); keys.hasNext();) {
      if (ROOT_KEYS.contains(keys.next())) {
        typeless = true;
      }
    }
    if (typeless) {
      byType.put("_doc", mappings);
    } else {
      mappings.fields().forEachRemaining(e -> byType.put(e.getKey(), e.getValue()));
    }
  }
}
