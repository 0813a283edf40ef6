package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenSearch has no mapping types: a single type's mapping is unwrapped, the {@code _default_} pseudo-type is
 * dropped, and the types of a multi-type index are merged into one mapping (later types win on conflicts, noted).
 * Splitting a multi-type index into one index per type happens before this runs, one type per definition.
 */
final class RemoveMappingTypes implements MetadataTransformation {
  @Override
  public String name() {
    return "remove-mapping-types";
  }

  @Override
  public String description() {
    return "unwraps the mapping from its type; merges the types of a multi-type index into one mapping (or, with "
        + "--multi-type split, makes one index per type)";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return true;
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    Map<String, JsonNode> types = new LinkedHashMap<>(d.mappingsByType());
    if (types.remove("_default_") != null) {
      d.changed(name(), "dropped the _default_ mapping (a template for new types, gone with types)");
    }
    ObjectNode merged = Json.object();
    if (types.size() == 1) {
      String type = types.keySet().iterator().next();
      if (!type.equals("_doc")) {
        d.changed(name(), "unwrapped the mapping of type '" + type + "'");
      }
    } else if (types.size() > 1) {
      boolean split = context.options().multiType() == MigrationOptions.MultiType.SPLIT;
      d.warn(name(), "merged mapping types " + types.keySet() + " into one mapping; " + (split && context.isTemplate()
          ? "a template cannot be split by type: the indices it makes on the target get every type's fields"
          : "documents of every type go into the same index, and a document id used in two types keeps only one of them "
              + "(use --multi-type split to keep them apart)"));
    }
    for (Map.Entry<String, JsonNode> type : types.entrySet()) {
      merge(type.getKey(), type.getValue(), merged, d);
    }
    d.setMapping(merged);
  }

  private void merge(String type, JsonNode body, ObjectNode into, Definition d) {
    if (!body.isObject()) {
      return;
    }
    body.fields().forEachRemaining(e -> {
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals("properties") && value.isObject()) {
        ObjectNode properties = into.has("properties") ? (ObjectNode) into.get("properties") : into.putObject("properties");
        value.fields().forEachRemaining(p -> {
          JsonNode existing = properties.get(p.getKey());
          if (existing != null && !existing.equals(p.getValue())) {
            d.warn(name(), "field '" + p.getKey() + "' is defined differently in several types; the definition of type '"
                + type + "' wins");
          }
          properties.set(p.getKey(), p.getValue().deepCopy());
        });
      } else if (key.equals("dynamic_templates") && value.isArray()) {
        ArrayNode templates = into.has("dynamic_templates") ? (ArrayNode) into.get("dynamic_templates") : into.putArray("dynamic_templates");
        value.forEach(t -> {
          boolean present = false;
          for (JsonNode existing : templates) {
            present |= existing.equals(t);
          }
          if (!present) {
            templates.add(t.deepCopy());
          }
        });
      } else if (!into.has(key)) {
        into.set(key, value.deepCopy());
      }
    });
  }
}
