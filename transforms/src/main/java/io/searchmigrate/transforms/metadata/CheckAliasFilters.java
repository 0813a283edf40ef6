package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;

/** Alias filters that test the mapping type ({@code _type}) cannot keep working once types are gone. */
final class CheckAliasFilters implements MetadataTransformation {
  @Override
  public String name() {
    return "check-alias-filters";
  }

  @Override
  public String description() {
    return "flags alias filters that test _type, which matches nothing once mapping types are gone";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return context.sourceIsElasticsearchBefore(7, 0);
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    d.aliases().fields().forEachRemaining(alias -> {
      JsonNode filter = alias.getValue().get("filter");
      if (filter != null && refersToType(filter)) {
        d.warn(name(), "alias '" + alias.getKey() + "' filters on the mapping type (" + filter + "); rewrite the filter on a field");
      }
    });
  }

  static boolean refersToType(JsonNode node) {
    if (node.isObject()) {
      if (node.has("_type") || node.has("type") && node.path("type").has("value")) {
        return true;
      }
      for (JsonNode child : node) {
        if (refersToType(child)) {
          return true;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        if (refersToType(child)) {
          return true;
        }
      }
    }
    return false;
  }
}
