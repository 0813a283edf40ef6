package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;

/**
 * Elasticsearch field types OpenSearch lacks, or gained only in a later version, as data: each rule names the
 * type, the OpenSearch version that supports it (none: never), and the fallback otherwise.
 */
final class FieldTypeRules implements MetadataTransformation {
  /** A source field type, from which OpenSearch version it exists there, and what replaces it before that. */
  static final class Rule {
    final String type;
    final int sinceMajor;
    final int sinceMinor;
    final String fallback;
    final String consequence;

    Rule(String type, int sinceMajor, int sinceMinor, String fallback, String consequence) {
      this.type = type;
      this.sinceMajor = sinceMajor;
      this.sinceMinor = sinceMinor;
      this.fallback = fallback;
      this.consequence = consequence;
    }
  }

  private static final int NEVER = 99;
  static final List<Rule> RULES = List.of(
      new Rule("wildcard", 2, 15, "keyword", "wildcard queries run on keyword, slower on long values"),
      new Rule("match_only_text", 2, 12, "text", "positions and scoring data are indexed again (bigger index)"),
      new Rule("unsigned_long", 2, 8, "long", "values above 9223372036854775807 cannot be indexed"),
      new Rule("constant_keyword", NEVER, 0, "keyword", "the constant value exists only in documents that carry it"),
      new Rule("version", NEVER, 0, "keyword", "versions sort as strings, not by semantic order"),
      new Rule("aggregate_metric_double", NEVER, 0, "object-disabled", "pre-aggregated metrics are kept in _source only"),
      new Rule("histogram", NEVER, 0, "object-disabled", "histograms are kept in _source only"),
      new Rule("semantic_text", NEVER, 0, "object-disabled", "the inference text is kept in _source only"),
      new Rule("sparse_vector", NEVER, 0, "object-disabled", "sparse vectors are kept in _source only"),
      new Rule("counted_keyword", NEVER, 0, "keyword", "repeat counts are lost"),
      new Rule("passthrough", NEVER, 0, "object", "fields are no longer also reachable at the root"));

  @Override
  public String name() {
    return "replace-unsupported-field-types";
  }

  @Override
  public String description() {
    return "replaces Elasticsearch field types the target lacks (wildcard, match_only_text, unsigned_long before the "
        + "OpenSearch versions that added them; constant_keyword, version, histogram, ... always) by the closest type";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return context.target().isOpenSearch();
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    MappingWalker.walk(d.mapping(), (path, field) -> {
      String type = field.path("type").asText();
      for (Rule rule : RULES) {
        if (rule.type.equals(type) && !context.targetIsOpenSearchAtLeast(rule.sinceMajor, rule.sinceMinor)) {
          replace(field, rule);
          d.warn(name(), "field '" + path + "': " + type + " became " + field.path("type").asText() + " (" + rule.consequence + ")");
        }
      }
    });
  }

  private static void replace(ObjectNode field, Rule rule) {
    for (Iterator<String> it = field.fieldNames(); it.hasNext();) {
      String key = it.next();
      if (!key.equals("type") && !key.equals("fields") && !key.equals("properties")) {
        it.remove();
      }
    }
    if (rule.fallback.equals("object-disabled")) {
      field.put("type", "object");
      field.put("enabled", false);
    } else {
      field.put("type", rule.fallback);
    }
  }
}
