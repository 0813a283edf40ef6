package io.searchmigrate.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.transforms.metadata.TransformContext;
import io.searchmigrate.transforms.metadata.TransformedItem;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * After a migration, compares what the source meant (its definitions with the named transformations applied, as
 * sent) with what the target holds: mapping properties (types, analyzers, formats), analysis settings, aliases
 * (filters, routing) and template patterns. What differs was not intended by any transformation: the target
 * changed it, or (for items left as they were) it was already different there.
 */
final class MetadataValidation {
  private static final List<String> FIELD_PARAMETERS = List.of("type", "analyzer", "search_analyzer", "normalizer", "format",
      "index", "doc_values", "enabled", "dynamic", "path", "relations");

  private final ClusterClient target;

  MetadataValidation(ClusterClient target) {
    this.target = target;
  }

  void validate(MigrationReport report) {
    for (ItemResult item : report.items()) {
      if (item.sent == null || item.outcome.isFailure()) {
        continue;
      }
      JsonNode actual = fetch(item.sent);
      if (actual == null) {
        item.differences.add("not found on the target after the migration");
        continue;
      }
      compare(item, item.sent, actual);
    }
  }

  /** The item's definition on the target, shaped like the body sent (null when missing). */
  private JsonNode fetch(TransformedItem item) {
    String name = ClusterClient.segment(item.targetName());
    switch (item.kind()) {
      case INDEX: {
        ClusterResponse r = target.get("/" + name + "?flat_settings=true");
        return r.isSuccess() ? r.json().path(item.targetName()) : null;
      }
      case LEGACY_TEMPLATE: {
        ClusterResponse r = target.get("/_template/" + name + "?flat_settings=true");
        return r.isSuccess() ? r.json().path(item.targetName()) : null;
      }
      case INDEX_TEMPLATE: {
        ClusterResponse r = target.get("/_index_template/" + name + "?flat_settings=true");
        return r.isSuccess() ? r.json().path("index_templates").path(0).path("index_template") : null;
      }
      default: {
        ClusterResponse r = target.get("/_component_template/" + name + "?flat_settings=true");
        return r.isSuccess() ? r.json().path("component_templates").path(0).path("component_template") : null;
      }
    }
  }

  private static void compare(ItemResult result, TransformedItem sent, JsonNode actual) {
    JsonNode expected = sent.body();
    boolean nested = sent.kind() == TransformContext.ItemKind.INDEX_TEMPLATE || sent.kind() == TransformContext.ItemKind.COMPONENT_TEMPLATE;
    JsonNode expectedDefinition = nested ? expected.path("template") : expected;
    JsonNode actualDefinition = nested ? actual.path("template") : actual;
    if (sent.kind() == TransformContext.ItemKind.LEGACY_TEMPLATE || sent.kind() == TransformContext.ItemKind.INDEX_TEMPLATE) {
      JsonNode want = expected.path("index_patterns");
      JsonNode have = actual.path("index_patterns");
      if (!want.equals(have)) {
        result.differences.add("index patterns " + have + " on the target, " + want + " expected");
      }
    }
    compareFields(result, properties(expectedDefinition.path("mappings")), properties(actualDefinition.path("mappings")));
    compareAnalysis(result, expectedDefinition.path("settings"), actualDefinition.path("settings"));
    compareAliases(result, expectedDefinition.path("aliases"), actualDefinition.path("aliases"));
  }

  /** Field path → definition, for a type-less mapping (or the single type some targets still wrap it in). */
  private static Map<String, JsonNode> properties(JsonNode mappings) {
    Map<String, JsonNode> fields = new TreeMap<>();
    JsonNode root = mappings;
    if (!root.has("properties") && root.size() == 1 && root.elements().next().has("properties")) {
      root = root.elements().next();
    }
    collect("", root.path("properties"), fields);
    return fields;
  }

  private static void collect(String prefix, JsonNode properties, Map<String, JsonNode> into) {
    properties.fields().forEachRemaining(e -> {
      String path = prefix + e.getKey();
      into.put(path, e.getValue());
      collect(path + ".", e.getValue().path("properties"), into);
      e.getValue().path("fields").fields().forEachRemaining(sub -> into.put(path + "." + sub.getKey(), sub.getValue()));
    });
  }

  private static void compareFields(ItemResult result, Map<String, JsonNode> expected, Map<String, JsonNode> actual) {
    expected.forEach((path, want) -> {
      JsonNode have = actual.get(path);
      if (have == null) {
        result.differences.add("field '" + path + "' is missing on the target");
        return;
      }
      for (String parameter : FIELD_PARAMETERS) {
        JsonNode w = want.get(parameter);
        if (w == null || (parameter.equals("type") && w.asText().equals("object") && !have.has("type"))) {
          continue;
        }
        JsonNode h = have.get(parameter);
        if (h == null || !w.asText().equals(h.asText())) {
          result.differences.add("field '" + path + "' " + parameter + ": " + (h == null ? "unset" : h.asText()) + " on the target, "
              + w.asText() + " expected");
        }
      }
    });
  }

  private static void compareAnalysis(ItemResult result, JsonNode expected, JsonNode actual) {
    ObjectNode want = Json.object();
    IndexMetadata.flatten("", expected, want);
    ObjectNode have = Json.object();
    IndexMetadata.flatten("", actual, have);
    want.fields().forEachRemaining(e -> {
      String key = e.getKey().startsWith("index.") ? e.getKey() : "index." + e.getKey();
      if (!key.startsWith("index.analysis.")) {
        return;
      }
      JsonNode h = have.has(key) ? have.get(key) : have.get(key.substring("index.".length()));
      if (h == null || !sameValue(e.getValue(), h)) {
        result.differences.add("setting " + key + ": " + (h == null ? "unset" : h.toString()) + " on the target, " + e.getValue() + " expected");
      }
    });
  }

  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isArray() || b.isArray()) {
      return a.equals(b);
    }
    return a.asText().equals(b.asText());
  }

  private static void compareAliases(ItemResult result, JsonNode expected, JsonNode actual) {
    expected.fields().forEachRemaining(e -> {
      JsonNode have = actual.get(e.getKey());
      if (have == null) {
        result.differences.add("alias '" + e.getKey() + "' is missing on the target");
        return;
      }
      for (String parameter : List.of("filter", "index_routing", "search_routing", "is_write_index")) {
        JsonNode w = e.getValue().get(parameter);
        JsonNode h = have.get(parameter);
        if (w != null && (h == null || !Objects.equals(Json.toString(w), Json.toString(h)) && !w.asText().equals(h.asText()))) {
          result.differences.add("alias '" + e.getKey() + "' " + parameter + ": " + h + " on the target, " + w + " expected");
        }
      }
    });
  }
}
