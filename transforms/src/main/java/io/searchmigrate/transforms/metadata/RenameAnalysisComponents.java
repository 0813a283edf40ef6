package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Analysis components that were renamed or removed across versions, as data: old camel-case names become their
 * snake-case successors, and the no-op {@code standard} token filter (removed in 7.0) disappears from chains.
 */
final class RenameAnalysisComponents implements MetadataTransformation {
  /** component kind → old name → new name ("" = remove). Applies to definitions' types and to chain references. */
  static final Map<String, Map<String, String>> RENAMES = Map.of(
      "filter", Map.of("nGram", "ngram", "edgeNGram", "edge_ngram", "delimited_payload_filter", "delimited_payload", "standard", ""),
      "tokenizer", Map.of("nGram", "ngram", "edgeNGram", "edge_ngram", "PathHierarchy", "path_hierarchy"),
      "char_filter", Map.of("htmlStrip", "html_strip"));
  /** Parameters removed from filter types. */
  static final Map<String, List<String>> REMOVED_PARAMETERS = Map.of(
      "synonym", List.of("tokenizer", "ignore_case"), "synonym_graph", List.of("tokenizer", "ignore_case"));
  private static final Pattern CHAIN = Pattern.compile("index\\.analysis\\.(analyzer|normalizer)\\.([^.]+)\\.(filter|tokenizer|char_filter)");
  private static final Pattern DEFINITION_TYPE = Pattern.compile("index\\.analysis\\.(filter|tokenizer|char_filter|analyzer)\\.([^.]+)\\.type");

  @Override
  public String name() {
    return "rename-analysis-components";
  }

  @Override
  public String description() {
    return "renames analysis components renamed since (nGram→ngram, edgeNGram→edge_ngram, PathHierarchy→path_hierarchy, "
        + "htmlStrip→html_strip, delimited_payload_filter→delimited_payload), removes the standard token filter, rewrites "
        + "the standard_html_strip analyzer, drops removed synonym parameters";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return true;
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    ObjectNode settings = d.settings();
    List<String> keys = new ArrayList<>();
    settings.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      Matcher type = DEFINITION_TYPE.matcher(key);
      if (type.matches()) {
        String kind = type.group(1);
        String value = settings.path(key).asText();
        if (kind.equals("analyzer") && value.equals("standard_html_strip")) {
          String prefix = "index.analysis.analyzer." + type.group(2) + ".";
          settings.put(key, "custom");
          settings.put(prefix + "tokenizer", "standard");
          settings.set(prefix + "char_filter", Json.array().add("html_strip"));
          settings.set(prefix + "filter", Json.array().add("lowercase"));
          d.changed(name(), "analyzer '" + type.group(2) + "': standard_html_strip became a custom analyzer (standard, html_strip, lowercase)");
          continue;
        }
        String renamed = RENAMES.getOrDefault(kind, Map.of()).get(value);
        if (renamed != null && renamed.isEmpty()) {
          String prefix = "index.analysis." + kind + "." + type.group(2) + ".";
          keys.stream().filter(k -> k.startsWith(prefix)).forEach(settings::remove);
          d.changed(name(), kind + " '" + type.group(2) + "' of type " + value + " removed (the type no longer exists)");
        } else if (renamed != null) {
          settings.put(key, renamed);
          d.changed(name(), kind + " '" + type.group(2) + "': type " + value + " became " + renamed);
        }
        List<String> gone = REMOVED_PARAMETERS.getOrDefault(value, List.of());
        for (String parameter : gone) {
          if (settings.remove("index.analysis." + kind + "." + type.group(2) + "." + parameter) != null) {
            d.changed(name(), kind + " '" + type.group(2) + "': removed parameter " + parameter);
          }
        }
      }
      Matcher chain = CHAIN.matcher(key);
      if (chain.matches()) {
        String componentKind = chain.group(3);
        JsonNode value = settings.get(key);
        if (value.isArray()) {
          ArrayNode rewritten = Json.array();
          for (JsonNode element : value) {
            String renamed = RENAMES.getOrDefault(componentKind, Map.of()).get(element.asText());
            if (renamed == null) {
              rewritten.add(element);
            } else if (!renamed.isEmpty()) {
              rewritten.add(renamed);
            }
          }
          if (!rewritten.equals(value)) {
            settings.set(key, rewritten);
            d.changed(name(), chain.group(1) + " '" + chain.group(2) + "': " + componentKind + " chain " + value + " became " + rewritten);
          }
        } else {
          String renamed = RENAMES.getOrDefault(componentKind, Map.of()).get(value.asText());
          if (renamed != null && !renamed.isEmpty()) {
            settings.put(key, renamed);
            d.changed(name(), chain.group(1) + " '" + chain.group(2) + "': " + componentKind + " " + value.asText() + " became " + renamed);
          }
        }
      }
    }
  }
}
