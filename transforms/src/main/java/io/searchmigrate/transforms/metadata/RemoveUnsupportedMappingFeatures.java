package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Mapping-level Elasticsearch features without an OpenSearch counterpart: runtime fields, synthetic source,
 * {@code subobjects: false}, the data stream timestamp meta-field.
 */
final class RemoveUnsupportedMappingFeatures implements MetadataTransformation {
  @Override
  public String name() {
    return "remove-unsupported-mapping-features";
  }

  @Override
  public String description() {
    return "removes runtime fields, synthetic _source, subobjects:false and _data_stream_timestamp, which OpenSearch lacks";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return context.target().isOpenSearch() && context.source().isElasticsearch() && context.source().major() >= 7;
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    ObjectNode mapping = d.mapping();
    if (mapping == null) {
      return;
    }
    JsonNode runtime = mapping.remove("runtime");
    if (runtime != null && runtime.size() > 0) {
      d.warn(name(), "removed runtime fields " + fieldNames(runtime) + ": recreate them as derived fields or compute them at ingest");
    }
    JsonNode source = mapping.get("_source");
    if (source instanceof ObjectNode && "synthetic".equals(source.path("mode").asText())) {
      ((ObjectNode) source).remove("mode");
      d.warn(name(), "removed _source mode synthetic: the target stores full sources (documents of this index have no stored "
          + "_source in snapshots and cannot be backfilled from one)");
      if (source.size() == 0) {
        mapping.remove("_source");
      }
    }
    if (mapping.has("subobjects")) {
      mapping.remove("subobjects");
      d.warn(name(), "removed subobjects:false: field names with dots become object paths on the target");
    }
    if (mapping.remove("_data_stream_timestamp") != null) {
      d.changed(name(), "removed _data_stream_timestamp (Elasticsearch's internal data stream field)");
    }
  }

  private static String fieldNames(JsonNode runtime) {
    StringBuilder names = new StringBuilder("[");
    runtime.fieldNames().forEachRemaining(n -> names.append(names.length() > 1 ? ", " : "").append(n));
    return names.append(']').toString();
  }
}
