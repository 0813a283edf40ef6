package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.metadata.IndexMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mappings that keep only part of each document's {@code _source} ({@code includes}/{@code excludes}) or none of it
 * ({@code enabled: false}). A snapshot holds what was stored, so a backfill from it would copy documents with fields
 * missing and count them as a success; the mapping itself moves over unchanged. This transformation only warns; the
 * backfill refuses such indices unless told to accept partial sources.
 */
public final class FilteredSource implements MetadataTransformation {
  @Override
  public String name() {
    return "filtered-source";
  }

  @Override
  public String description() {
    return "keeps _source includes/excludes or enabled:false as they are, and warns: documents copied from a snapshot of "
        + "such an index carry only the fields it stored";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return true;
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    String filter = describe(d.mapping());
    if (filter != null) {
      String copies = filter.equals("disabled") ? "hold no source, so a backfill cannot copy them (with "
          + "--accept-partial-source it reports each in the dead letters)" : "lack what _source leaves out, so a backfill copies "
          + "them partially (it refuses such indices unless --accept-partial-source)";
      d.warn(name(), "_source " + filter + ": documents in a snapshot of this index " + copies + "; reindex them from "
          + "their system of record to get them whole");
    }
  }

  /** How the mapping filters _source ("includes [a, b]", "disabled"), or null when it keeps it whole. */
  static String describe(JsonNode mapping) {
    if (mapping == null) {
      return null;
    }
    JsonNode source = mapping.path("_source");
    List<String> parts = new ArrayList<>();
    if (source.path("enabled").isBoolean() && !source.path("enabled").asBoolean() || "false".equals(source.path("enabled").asText())) {
      parts.add("disabled");
    }
    for (String key : List.of("includes", "excludes")) {
      JsonNode list = source.path(key);
      if (list.isArray() && list.size() > 0 || list.isTextual() && !list.asText().isEmpty()) {
        List<String> values = new ArrayList<>();
        if (list.isArray()) {
          list.forEach(v -> values.add(v.asText()));
        } else {
          values.add(list.asText());
        }
        parts.add(key + " " + values);
      }
    }
    return parts.isEmpty() ? null : String.join(", ", parts);
  }

  /** How an index filters its documents' _source (in any of its mapping types), or null when it keeps them whole. */
  public static String of(IndexMetadata index) {
    for (Map.Entry<String, JsonNode> type : index.mappingsByType().entrySet()) {
      String filter = describe(type.getValue());
      if (filter != null) {
        return filter;
      }
    }
    return null;
  }
}
