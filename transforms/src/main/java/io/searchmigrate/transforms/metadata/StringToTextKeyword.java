package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code string} field type of Elasticsearch 2-5 becomes {@code keyword} (not analyzed) or {@code text}
 * (analyzed), with the parameters each still accepts.
 */
final class StringToTextKeyword implements MetadataTransformation {
  private static final List<String> TEXT_ONLY = List.of("analyzer", "search_analyzer", "search_quote_analyzer", "term_vector",
      "position_increment_gap", "fielddata", "fielddata_frequency_filter", "index_prefixes", "index_phrases");
  private static final List<String> KEYWORD_ONLY = List.of("ignore_above", "doc_values", "normalizer", "eager_global_ordinals");

  @Override
  public String name() {
    return "string-to-text-keyword";
  }

  @Override
  public String description() {
    return "turns 'string' fields into 'keyword' (not analyzed) or 'text' (analyzed), dropping parameters the new type "
        + "does not take";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return true; // legacy templates and old indices may hold "string" whatever the source's version
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    MappingWalker.walk(d.mapping(), (path, field) -> {
      if (!"string".equals(field.path("type").asText())) {
        return;
      }
      JsonNode index = field.get("index");
      boolean notAnalyzed = index != null && "not_analyzed".equals(index.asText());
      boolean notIndexed = index != null && ("no".equals(index.asText()) || "false".equals(index.asText()));
      if (notAnalyzed || notIndexed) {
        field.put("type", "keyword");
        TEXT_ONLY.forEach(field::remove);
      } else {
        field.put("type", "text");
        KEYWORD_ONLY.forEach(field::remove);
      }
      if (index != null) {
        if (notIndexed) {
          field.put("index", false);
        } else {
          field.remove("index");
        }
      }
      JsonNode norms = field.get("norms");
      if (norms != null && norms.isObject()) {
        field.put("norms", norms.path("enabled").asBoolean(true));
      }
      JsonNode fielddata = field.get("fielddata");
      if (fielddata != null && fielddata.isObject()) {
        field.put("fielddata", !"disabled".equals(fielddata.path("format").asText()));
      }
      d.changed(name(), "field '" + path + "': string became " + field.path("type").asText());
    });
  }
}
