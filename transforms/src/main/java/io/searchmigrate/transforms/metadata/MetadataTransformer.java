package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Transforms source indices and templates for a target: the named transformations, in order, then the body the
 * target's API takes.
 *
 * <pre>{@code
 * MetadataTransformer transformer = new MetadataTransformer(sourceVersion, targetVersion, MigrationOptions.defaults());
 * for (TransformedItem item : transformer.index(indexMetadata)) { PUT /item.targetName() item.body() }
 * }</pre>
 */
public final class MetadataTransformer {
  /** Every transformation, in the order they run. */
  public static final List<MetadataTransformation> CHAIN = List.of(
      new StripInternalSettings(),
      new DropRemovedSettings(),
      new RemoveMappingTypes(),
      new StringToTextKeyword(),
      new RemoveGoneMappingFeatures(),
      new RemoveUnsupportedMappingFeatures(),
      new FilteredSource(),
      new FieldTypeRules(),
      new FlattenedToFlatObject(),
      new DenseVectorToKnnVector(),
      new RenameAnalysisComponents(),
      new ClassicSimilarityToBm25(),
      new SetMaxNgramDiff(),
      new RaiseReplicasForAwareness(),
      new KeepRoutingShards(),
      new CheckAliasFilters());
  /** Template fields Elasticsearch has and OpenSearch refuses. */
  private static final List<String> ELASTICSEARCH_ONLY_TEMPLATE_FIELDS = List.of("allow_auto_create",
      "ignore_missing_component_templates", "deprecated", "lifecycle");
  private static final List<String> ELASTICSEARCH_ONLY_DATA_STREAM_FIELDS = List.of("hidden", "allow_custom_routing",
      "failure_store");
  private static final Pattern ARRAY_ELEMENT = Pattern.compile("(.+)\\.(\\d+)");

  private final ClusterVersion source;
  private final ClusterVersion target;
  private final MigrationOptions options;

  public MetadataTransformer(ClusterVersion source, ClusterVersion target, MigrationOptions options) {
    this.source = source;
    this.target = target;
    this.options = options;
  }

  /** The target indices for a source index: one, or one per mapping type with {@code --multi-type split}. */
  public List<TransformedItem> index(IndexMetadata index) {
    List<TransformedItem> items = new ArrayList<>();
    Map<String, JsonNode> types = new TreeMap<>(index.mappingsByType());
    types.remove("_default_");
    if (types.size() > 1 && options.multiType() == MigrationOptions.MultiType.SPLIT) {
      for (Map.Entry<String, JsonNode> type : types.entrySet()) {
        String name = options.splitIndexName(index.name(), type.getKey());
        Definition d = new Definition(collapseArrays(index.settings()), Map.of(type.getKey(), type.getValue()), index.aliases());
        d.setRoutingNumShards(index.routingNumShards());
        d.changed("split-mapping-types", "type '" + type.getKey() + "' of index '" + index.name() + "' becomes index '" + name + "'");
        items.add(indexItem(index.name(), name, d));
      }
      return items;
    }
    Definition d = new Definition(collapseArrays(index.settings()), index.mappingsByType(), index.aliases());
    d.setRoutingNumShards(index.routingNumShards());
    items.add(indexItem(index.name(), index.name(), d));
    return items;
  }

  private TransformedItem indexItem(String sourceName, String targetName, Definition d) {
    run(d, new TransformContext(source, target, options, TransformContext.ItemKind.INDEX, targetName));
    return new TransformedItem(TransformContext.ItemKind.INDEX, sourceName, targetName, d.body(), d.applied(), d.notes(), d.warnings());
  }

  /** The body for the template's API on the target. */
  public TransformedItem template(TemplateMetadata template) {
    TransformContext.ItemKind kind = kindOf(template.kind());
    Definition d = new Definition(collapseArrays(template.settings()), template.mappingsByType(), template.aliases());
    TransformContext context = new TransformContext(source, target, options, kind, template.name());
    if (template.kind() == TemplateMetadata.Kind.LEGACY && context.sourceIsElasticsearchBefore(6, 0)) {
      d.changed("template-to-index-patterns", "the legacy 'template' pattern " + template.patterns() + " became index_patterns");
    }
    run(d, context);
    ObjectNode inner = Json.object();
    if (d.settings().size() > 0) {
      inner.set("settings", d.settings().deepCopy());
    }
    if (d.mapping() != null && d.mapping().size() > 0) {
      inner.set("mappings", d.mapping().deepCopy());
    }
    if (d.aliases().size() > 0) {
      inner.set("aliases", d.aliases().deepCopy());
    }
    ObjectNode body = Json.object();
    if (template.kind() == TemplateMetadata.Kind.LEGACY) {
      body.set("index_patterns", Json.mapper().valueToTree(template.patterns()));
      if (template.order() != null) {
        body.put("order", template.order());
      }
      if (template.version() != null) {
        body.put("version", template.version());
      }
      body.setAll(inner);
    } else {
      if (template.kind() == TemplateMetadata.Kind.INDEX) {
        body.set("index_patterns", Json.mapper().valueToTree(template.patterns()));
        if (!template.composedOf().isEmpty()) {
          body.set("composed_of", Json.mapper().valueToTree(template.composedOf()));
        }
        if (template.order() != null) {
          body.put("priority", template.order());
        }
      }
      if (template.version() != null) {
        body.put("version", template.version());
      }
      body.set("template", inner);
      copyExtras(template, body, d);
    }
    return new TransformedItem(kind, template.name(), template.name(), body, d.applied(), d.notes(), d.warnings());
  }

  private void copyExtras(TemplateMetadata template, ObjectNode body, Definition d) {
    ObjectNode extra = template.extra();
    for (Iterator<Map.Entry<String, JsonNode>> it = extra.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (ELASTICSEARCH_ONLY_TEMPLATE_FIELDS.contains(e.getKey())) {
        d.changed("drop-elasticsearch-only-template-fields", "dropped " + e.getKey() + " (Elasticsearch only)");
        continue;
      }
      JsonNode value = e.getValue().deepCopy();
      if (e.getKey().equals("data_stream") && value instanceof ObjectNode) {
        for (String field : ELASTICSEARCH_ONLY_DATA_STREAM_FIELDS) {
          if (((ObjectNode) value).remove(field) != null) {
            d.changed("drop-elasticsearch-only-template-fields", "dropped data_stream." + field + " (Elasticsearch only)");
          }
        }
      }
      body.set(e.getKey(), value);
    }
    // applied/notes of this step live in d, read by the caller after this returns
  }

  private static TransformContext.ItemKind kindOf(TemplateMetadata.Kind kind) {
    switch (kind) {
      case LEGACY: return TransformContext.ItemKind.LEGACY_TEMPLATE;
      case INDEX: return TransformContext.ItemKind.INDEX_TEMPLATE;
      default: return TransformContext.ItemKind.COMPONENT_TEMPLATE;
    }
  }

  private static void run(Definition d, TransformContext context) {
    for (MetadataTransformation t : CHAIN) {
      if (t.appliesTo(context)) {
        t.apply(d, context);
      }
    }
  }

  /** Old flat settings write arrays as {@code key.0}, {@code key.1}, ...: made into JSON arrays so rules see one value. */
  static ObjectNode collapseArrays(ObjectNode flat) {
    ObjectNode out = Json.object();
    Map<String, TreeMap<Integer, JsonNode>> arrays = new TreeMap<>();
    flat.fields().forEachRemaining(e -> {
      Matcher m = ARRAY_ELEMENT.matcher(e.getKey());
      if (m.matches() && !flat.has(m.group(1))) {
        arrays.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), e.getValue());
      } else {
        out.set(e.getKey(), e.getValue());
      }
    });
    arrays.forEach((key, elements) -> out.set(key, Json.mapper().valueToTree(new ArrayList<>(elements.values()))));
    return out;
  }
}
