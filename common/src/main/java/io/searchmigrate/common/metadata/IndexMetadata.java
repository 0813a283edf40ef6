package io.searchmigrate.common.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An index definition as a snapshot or a live source holds it: flat settings ({@code "index.number_of_shards": "3"}), mappings per
 * type (several in multi-type Elasticsearch 5 indices, one or none later) and aliases.
 *
 * <p>Settings, types and aliases are held sorted by name: sources keep them in hash maps, so a live Elasticsearch 5
 * answers {@code dvd, book} on one call and {@code book, dvd} on the next. Sorted, every report, merge and request
 * built from them comes out the same on every run.
 */
public final class IndexMetadata implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final ObjectNode settings;
  private final Map<String, JsonNode> mappingsByType;
  private final ObjectNode aliases;
  private final Integer routingNumShards;

  /**
   * @param settings flat or nested settings; kept flat ({@code index.number_of_shards})
   * @param mappingsByType mapping body per type name
   */
  public IndexMetadata(String name, JsonNode settings, Map<String, JsonNode> mappingsByType, ObjectNode aliases) {
    this(name, settings, mappingsByType, aliases, null);
  }

  /**
   * @param routingNumShards the number of routing shards documents are hashed over (the index's
   *     {@code routing_num_shards}), or null when the source does not say
   */
  public IndexMetadata(String name, JsonNode settings, Map<String, JsonNode> mappingsByType, ObjectNode aliases,
      Integer routingNumShards) {
    this.name = name;
    this.routingNumShards = routingNumShards;
    ObjectNode flat = Json.object();
    flatten("", settings, flat);
    this.settings = sortedFields(flat);
    this.mappingsByType = Collections.unmodifiableMap(new TreeMap<>(mappingsByType));
    this.aliases = aliases == null ? Json.object() : sortedFields(aliases);
  }

  /** A copy of {@code object} with its fields in name order (values as they are). */
  static ObjectNode sortedFields(ObjectNode object) {
    TreeMap<String, JsonNode> sorted = new TreeMap<>();
    object.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
    ObjectNode copy = Json.object();
    sorted.forEach(copy::set);
    return copy;
  }

  /** Flattens nested settings into dotted keys, as snapshots and {@code ?flat_settings} write them. */
  public static void flatten(String prefix, JsonNode node, ObjectNode into) {
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
      throw new UserError("index metadata of '" + name + "' has no index.number_of_shards setting");
    }
    return Integer.parseInt(shards);
  }

  /** Mapping per type name, in name order, e.g. {"_doc": {"properties": ...}}; several types only in Elasticsearch 5 and older. */
  public Map<String, JsonNode> mappingsByType() {
    return mappingsByType;
  }

  /**
   * How many routing shards documents are hashed over: a document's shard is hash(routing) mod this, divided down
   * to the shards. Null when the source does not record it (Elasticsearch before 6.1, where it equals the shards).
   */
  public Integer routingNumShards() {
    return routingNumShards;
  }

  public ObjectNode aliases() {
    return aliases.deepCopy();
  }
}
