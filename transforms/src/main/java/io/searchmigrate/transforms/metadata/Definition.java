package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of an index or template that transformations work on: flat settings, the mapping (one, once types
 * are gone) and aliases, plus the record of what each named transformation did to it.
 */
public final class Definition {
  private final ObjectNode settings;
  private Map<String, JsonNode> mappingsByType;
  private ObjectNode mapping;
  private final ObjectNode aliases;
  private final List<String> applied = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private Integer routingNumShards;

  public Definition(ObjectNode flatSettings, Map<String, JsonNode> mappingsByType, ObjectNode aliases) {
    this.settings = flatSettings.deepCopy();
    this.mappingsByType = new LinkedHashMap<>();
    mappingsByType.forEach((type, body) -> this.mappingsByType.put(type, body.deepCopy()));
    this.aliases = aliases.deepCopy();
  }

  /** Flat settings, changed in place by transformations. */
  public ObjectNode settings() {
    return settings;
  }

  /** Mappings per type until type removal ran; empty afterwards. */
  public Map<String, JsonNode> mappingsByType() {
    return mappingsByType;
  }

  /** The single, type-less mapping (after type removal), changed in place by later transformations. */
  public ObjectNode mapping() {
    return mapping;
  }

  void setMapping(ObjectNode typeless) {
    this.mapping = typeless;
    this.mappingsByType = new LinkedHashMap<>();
  }

  public ObjectNode aliases() {
    return aliases;
  }

  /** The source index's routing shards, when it is an index and the source recorded them. */
  public Integer routingNumShards() {
    return routingNumShards;
  }

  void setRoutingNumShards(Integer shards) {
    this.routingNumShards = shards;
  }

  /** Records that a transformation changed something, with what it did. */
  public void changed(String transformation, String what) {
    if (!applied.contains(transformation)) {
      applied.add(transformation);
    }
    notes.add(what);
  }

  /** Records something the transformation could not carry over faithfully. */
  public void warn(String transformation, String what) {
    if (!applied.contains(transformation)) {
      applied.add(transformation);
    }
    warnings.add(what);
  }

  public List<String> applied() {
    return Collections.unmodifiableList(applied);
  }

  public List<String> notes() {
    return Collections.unmodifiableList(notes);
  }

  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }

  /** The {@code settings}, {@code mappings}, {@code aliases} body (settings flat, which every version accepts). */
  public ObjectNode body() {
    ObjectNode body = Json.object();
    body.set("settings", settings.deepCopy());
    body.set("mappings", mapping == null ? Json.object() : mapping.deepCopy());
    body.set("aliases", aliases.deepCopy());
    return body;
  }
}
