package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a source index definition into one the target accepts. Each step has a name shown in reports:
 * <ul>
 *   <li>{@code strip-internal-settings}: settings the source manages itself or the target does not know
 *       (uuid, creation date, version ids, provided name, resize and ILM state, blocks, tiers, ...), never sent;</li>
 *   <li>{@code remove-mapping-types}: the mapping is unwrapped from its type; the several types of an
 *       Elasticsearch 5 index are merged into one mapping (fields of later types win on conflict, noted);</li>
 *   <li>{@code remove-all-field}: {@code _all}, {@code include_in_all}, {@code _parent}, {@code _timestamp} and
 *       {@code _ttl} are gone from OpenSearch.</li>
 * </ul>
 */
public final class IndexTransforms {
  /** Settings never sent to a target: state of the source index, or features OpenSearch lacks. */
  static final List<Pattern> INTERNAL_SETTINGS = patterns(
      "index.uuid", "index.creation_date", "index.creation_date_string", "index.provided_name",
      "index.version.*", "index.resize.*", "index.shrink.*", "index.routing.allocation.initial_recovery.*",
      "index.history.uuid", "index.blocks.*", "index.lifecycle.*", "index.frozen", "index.search.throttled",
      "index.verified_before_close", "index.format", "index.mapping.single_type", "index.mapper.dynamic",
      "index.soft_deletes.enabled", "index.routing.allocation.*._tier*", "index.xpack.*", "index.ccr.*",
      "index.store.snapshot.*", "index.mode", "index.time_series.*", "index.routing_path", "index.look_ahead_time",
      "index.look_back_time", "index.mapping.synthetic_source_keep", "index.mapping.total_fields.ignore_dynamic_beyond_limit",
      "index.downsample.*", "index.rollup.*", "archived.*");

  private static final List<String> REMOVED_MAPPING_ROOT_KEYS = List.of("_all", "_parent", "_timestamp", "_ttl");

  private IndexTransforms() {}

  private static List<Pattern> patterns(String... globs) {
    List<Pattern> list = new ArrayList<>();
    for (String glob : globs) {
      list.add(Pattern.compile(glob.replace(".", "\\.").replace("*", "[^.]*(\\..*)?")));
    }
    return list;
  }

  static boolean isInternal(String key) {
    return INTERNAL_SETTINGS.stream().anyMatch(p -> p.matcher(key).matches());
  }

  /** The definition to create on the target for a source index. */
  public static TargetIndex forTarget(IndexMetadata source) {
    List<String> applied = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    ObjectNode settings = source.settings();
    List<String> stripped = new ArrayList<>();
    for (Iterator<String> keys = settings.fieldNames(); keys.hasNext();) {
      String key = keys.next();
      if (isInternal(key)) {
        stripped.add(key);
        keys.remove();
      }
    }
    if (!stripped.isEmpty()) {
      applied.add("strip-internal-settings");
      notes.add("not sent: " + String.join(", ", stripped));
    }

    ObjectNode mappings = Json.object();
    Map<String, JsonNode> types = source.mappingsByType();
    if (!types.isEmpty()) {
      applied.add("remove-mapping-types");
      if (types.size() > 1) {
        notes.add("merged mapping types " + types.keySet() + " into one mapping");
      }
    }
    for (Map.Entry<String, JsonNode> type : types.entrySet()) {
      merge(type.getKey(), type.getValue(), mappings, notes);
    }
    if (removeGoneFeatures(mappings, "", notes)) {
      applied.add("remove-all-field");
    }
    return new TargetIndex(source.name(), settings, mappings, applied, notes);
  }

  private static void merge(String type, JsonNode body, ObjectNode into, List<String> notes) {
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
            notes.add("field '" + p.getKey() + "' differs between types; the definition from type '" + type + "' wins");
          }
          properties.set(p.getKey(), p.getValue().deepCopy());
        });
      } else if (key.equals("dynamic_templates") && value.isArray()) {
        ArrayNode templates = into.has("dynamic_templates") ? (ArrayNode) into.get("dynamic_templates") : into.putArray("dynamic_templates");
        value.forEach(t -> {
          if (!contains(templates, t)) {
            templates.add(t.deepCopy());
          }
        });
      } else if (!into.has(key)) {
        into.set(key, value.deepCopy());
      }
    });
  }

  private static boolean contains(ArrayNode array, JsonNode value) {
    for (JsonNode n : array) {
      if (n.equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** Removes _all and friends at the root and include_in_all on fields; true when anything was removed. */
  private static boolean removeGoneFeatures(ObjectNode mapping, String path, List<String> notes) {
    boolean changed = false;
    if (path.isEmpty()) {
      for (String key : REMOVED_MAPPING_ROOT_KEYS) {
        if (mapping.remove(key) != null) {
          notes.add("removed mapping setting " + key + " (not supported by OpenSearch)");
          changed = true;
        }
      }
    }
    JsonNode properties = mapping.get("properties");
    if (properties != null && properties.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isObject()) {
          ObjectNode f = (ObjectNode) field.getValue();
          if (f.remove("include_in_all") != null) {
            changed = true;
          }
          changed |= removeGoneFeatures(f, path + field.getKey() + ".", notes);
          JsonNode multi = f.get("fields");
          if (multi != null && multi.isObject()) {
            multi.forEach(sub -> {
              if (sub.isObject()) {
                ((ObjectNode) sub).remove("include_in_all");
              }
            });
          }
        }
      }
    }
    return changed;
  }
}
