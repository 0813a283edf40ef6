package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An index as its snapshot recorded it: flat settings ({@code "index.number_of_shards": "3"}), mappings per
 * type (several in multi-type Elasticsearch 5 indices, one or none later) and aliases.
 */
public final class IndexMetadata implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final ObjectNode settings;
  private final Map<String, JsonNode> mappingsByType;
  private final ObjectNode aliases;

  IndexMetadata(String name, ObjectNode settings, Map<String, JsonNode> mappingsByType, ObjectNode aliases) {
    this.name = name;
    this.settings = settings;
    this.mappingsByType = Collections.unmodifiableMap(mappingsByType);
    this.aliases = aliases;
  }

  static IndexMetadata parse(JsonNode blob, String where) {
    if (!blob.isObject() || blob.size() != 1) {
      throw new SnapshotFormatException(where + " is not index metadata: expected one object keyed by the index name");
    }
    String name = blob.fieldNames().next();
    JsonNode body = blob.path(name);
    ObjectNode settings = Json.object();
    flatten("", body.path("settings"), settings);
    Map<String, JsonNode> mappings = new LinkedHashMap<>();
    JsonNode rawMappings = body.path("mappings");
    List<JsonNode> entries = new ArrayList<>();
    if (rawMappings.isArray()) {
      rawMappings.forEach(entries::add);
    } else if (rawMappings.isObject()) {
      rawMappings.fields().forEachRemaining(e -> {
        ObjectNode single = Json.object();
        single.set(e.getKey(), e.getValue());
        entries.add(single);
      });
    }
    for (JsonNode entry : entries) {
      JsonNode decoded = CompressedXContent.decode(entry, where);
      decoded.fields().forEachRemaining(e -> mappings.put(e.getKey(), e.getValue()));
    }
    ObjectNode aliases = Json.object();
    body.path("aliases").fields().forEachRemaining(e -> {
      ObjectNode alias = e.getValue().isObject() ? ((ObjectNode) e.getValue()).deepCopy() : Json.object();
      if (alias.has("filter")) {
        alias.set("filter", CompressedXContent.decode(alias.get("filter"), where));
      }
      aliases.set(e.getKey(), alias);
    });
    return new IndexMetadata(name, settings, mappings, aliases);
  }

  /** Settings are flat in snapshots already; nested ones (hand-written metadata) are flattened the same way. */
  private static void flatten(String prefix, JsonNode node, ObjectNode into) {
    node.fields().forEachRemaining(e -> {
      String key = prefix + e.getKey();
      if (e.getValue().isObject()) {
        flatten(key + ".", e.getValue(), into);
      } else {
        into.set(key, e.getValue());
      }
    });
  }

  public String name() {
    return name;
  }

  /** Flat settings, e.g. {@code index.number_of_shards}. */
  public ObjectNode settings() {
    return settings.deepCopy();
  }

  public String setting(String key) {
    JsonNode value = settings.get(key);
    return value == null || value.isNull() ? null : value.isArray() ? value.toString() : value.asText();
  }

  public int numberOfShards() {
    String shards = setting("index.number_of_shards");
    if (shards == null) {
      throw new SnapshotFormatException("index metadata of '" + name + "' has no index.number_of_shards setting");
    }
    return Integer.parseInt(shards);
  }

  /** Mapping per type name, e.g. {"_doc": {"properties": ...}}; several types only in Elasticsearch 5 and older. */
  public Map<String, JsonNode> mappingsByType() {
    return mappingsByType;
  }

  public ObjectNode aliases() {
    return aliases.deepCopy();
  }
}
