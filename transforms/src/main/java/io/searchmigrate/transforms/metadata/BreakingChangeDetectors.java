package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The detectors the catalogue names: each looks at a source's indices and templates and lists what a breaking
 * change touches there ("index 'books' field 'title'"). An empty list means the change does not concern this
 * source; {@code always} concerns every client of a source in the version range.
 */
public final class BreakingChangeDetectors {
  /** What the detectors look at: the selected indices and templates, and the two versions. */
  public static final class Source {
    final List<IndexMetadata> indices;
    final List<TemplateMetadata> templates;
    final ClusterVersion source;
    final ClusterVersion target;

    public Source(List<IndexMetadata> indices, List<TemplateMetadata> templates, ClusterVersion source, ClusterVersion target) {
      this.indices = indices;
      this.templates = templates;
      this.source = source;
      this.target = target;
    }
  }

  /** Said of changes that concern every client of the source rather than particular items. */
  public static final String EVERY_CLIENT = "every client of this source";
  private static final Pattern JODA_RISK = Pattern.compile("[YewZ]");
  private static final Pattern ANALYSIS_TYPE = Pattern.compile("index\\.analysis\\.(filter|tokenizer|char_filter|analyzer)\\.([^.]+)\\.type");
  private static final Pattern CHAIN = Pattern.compile("index\\.analysis\\.(analyzer|normalizer)\\.([^.]+)\\.(filter|tokenizer|char_filter)");

  private BreakingChangeDetectors() {}

  /** What the named detector finds; fails on a name the catalogue should not use. */
  public static List<String> detect(String detector, Source s) {
    List<String> found = new ArrayList<>();
    switch (detector) {
      case "always" -> found.add(EVERY_CLIENT);
      case "multi-type-indices" -> s.indices.forEach(i -> {
        List<String> types = types(i.mappingsByType());
        if (types.size() > 1) {
          found.add("index '" + i.name() + "' (types " + String.join(", ", types) + ")");
        }
      });
      case "typed-mappings" -> {
        s.indices.forEach(i -> types(i.mappingsByType()).forEach(t -> found.add("index '" + i.name() + "' (type '" + t + "')")));
        s.templates.forEach(t -> types(t.mappingsByType()).stream().filter(type -> !type.equals("_doc"))
            .forEach(type -> found.add(t + " (type '" + type + "')")));
      }
      case "string-fields" -> fields(s, (where, field) -> {
        if ("string".equals(field.path("type").asText())) {
          found.add(where);
        }
      });
      case "all-field" -> {
        boolean enabledByDefault = s.source.isElasticsearch() && s.source.major() < 6;
        eachMapping(s, (where, mapping) -> {
          JsonNode all = mapping.path("_all").path("enabled");
          if (all.isMissingNode() ? enabledByDefault : all.asBoolean()) {
            found.add(where + " (_all enabled)");
          }
        });
        fields(s, (where, field) -> {
          if (field.has("include_in_all")) {
            found.add(where + " (include_in_all)");
          }
        });
      }
      case "parent-field" -> eachMapping(s, (where, mapping) -> {
        if (mapping.has("_parent")) {
          found.add(where + " (_parent type '" + mapping.path("_parent").path("type").asText() + "')");
        }
      });
      case "timestamp-ttl" -> eachMapping(s, (where, mapping) -> {
        for (String meta : new String[] {"_timestamp", "_ttl"}) {
          if (mapping.has(meta)) {
            found.add(where + " (" + meta + ")");
          }
        }
      });
      case "legacy-templates" -> s.templates.stream().filter(t -> t.kind() == TemplateMetadata.Kind.LEGACY)
          .forEach(t -> found.add(t + " (patterns " + t.patterns() + ")"));
      case "renamed-analysis" -> settings(s, (where, settings) -> settings.fields().forEachRemaining(e -> {
        Matcher type = ANALYSIS_TYPE.matcher(e.getKey());
        if (type.matches() && (RenameAnalysisComponents.RENAMES.getOrDefault(type.group(1), Map.of()).containsKey(e.getValue().asText())
            || e.getValue().asText().equals("standard_html_strip"))) {
          found.add(where + ": " + type.group(1) + " '" + type.group(2) + "' of type " + e.getValue().asText());
        }
        Matcher chain = CHAIN.matcher(e.getKey());
        if (chain.matches()) {
          for (JsonNode element : e.getValue().isArray() ? e.getValue() : List.of(e.getValue())) {
            if (RenameAnalysisComponents.RENAMES.getOrDefault(chain.group(3), Map.of()).containsKey(element.asText())) {
              found.add(where + ": " + chain.group(1) + " '" + chain.group(2) + "' uses " + chain.group(3) + " " + element.asText());
            }
          }
        }
      }));
      case "ngram-diff" -> s.indices.forEach(i -> {
        Definition d = new Definition(MetadataTransformer.collapseArrays(i.settings()), Map.of(), i.aliases());
        new SetMaxNgramDiff().apply(d, null);
        d.notes().forEach(n -> found.add("index '" + i.name() + "': needs " + n));
      });
      case "joda-date-formats" -> fields(s, (where, field) -> {
        String format = field.path("format").asText("");
        if (field.path("type").asText().startsWith("date") && JODA_RISK.matcher(format.replaceAll("'[^']*'", "")).find()) {
          found.add(where + " (format \"" + format + "\")");
        }
      });
      case "templates-without-shards" -> s.templates.stream()
          .filter(t -> t.kind() != TemplateMetadata.Kind.COMPONENT && !t.settings().has("index.number_of_shards")
              && !t.settings().has("number_of_shards"))
          .forEach(t -> found.add(t + " (patterns " + t.patterns() + ")"));
      case "ilm-indices" -> s.indices.forEach(i -> {
        String policy = i.setting("index.lifecycle.name");
        if (policy != null) {
          found.add("index '" + i.name() + "' (policy '" + policy + "')");
        }
      });
      case "flattened-fields" -> typedFields(s, "flattened", found);
      case "dense-vector-fields" -> typedFields(s, "dense_vector", found);
      case "runtime-fields" -> eachMapping(s, (where, mapping) -> mapping.path("runtime").fieldNames()
          .forEachRemaining(f -> found.add(where + " runtime field '" + f + "'")));
      case "es-only-field-types" -> fields(s, (where, field) -> {
        for (FieldTypeRules.Rule rule : FieldTypeRules.RULES) {
          if (rule.type.equals(field.path("type").asText()) && !s.target.isAtLeast(ClusterVersion.Flavor.OPENSEARCH, rule.sinceMajor, rule.sinceMinor)) {
            found.add(where + " (" + rule.type + " → " + rule.fallback + ": " + rule.consequence + ")");
          }
        }
      });
      case "synthetic-source" -> {
        eachMapping(s, (where, mapping) -> {
          if ("synthetic".equals(mapping.path("_source").path("mode").asText())) {
            found.add(where + " (synthetic _source)");
          }
        });
        s.indices.forEach(i -> {
          String mode = i.setting("index.mode");
          String sourceMode = i.setting("index.mapping.source.mode");
          if (mode != null && !mode.equals("standard") || "synthetic".equals(sourceMode)) {
            found.add("index '" + i.name() + "' (index.mode " + mode + (sourceMode == null ? "" : ", source " + sourceMode) + ")");
          }
        });
      }
      case "filtered-source" -> eachMapping(s, (where, mapping) -> {
        String filter = FilteredSource.describe(mapping);
        if (filter != null) {
          found.add(where + " (_source " + filter + ")");
        }
      });
      case "soft-deletes-disabled" -> s.indices.forEach(i -> {
        if ("false".equals(i.setting("index.soft_deletes.enabled"))) {
          found.add("index '" + i.name() + "'");
        }
      });
      case "removed-index-settings" -> settings(s, (where, settings) -> DropRemovedSettings.refused(settings.fieldNames(), s.target)
          .forEach(setting -> found.add(where + " (" + setting + ")")));
      case "classic-similarity" -> {
        settings(s, (where, settings) -> ClassicSimilarityToBm25.classicSimilarities(settings)
            .forEach(name -> found.add(where + ": similarity '" + name + "'")));
        fields(s, (where, field) -> {
          if (ClassicSimilarityToBm25.namesClassic(field)) {
            found.add(where);
          }
        });
      }
      case "alias-type-filters" -> s.indices.forEach(i -> i.aliases().fields().forEachRemaining(a -> {
        JsonNode filter = a.getValue().get("filter");
        if (filter != null && CheckAliasFilters.refersToType(filter)) {
          found.add("alias '" + a.getKey() + "' of index '" + i.name() + "'");
        }
      }));
      default -> throw new IllegalArgumentException("the breaking-change catalogue names an unknown detector '" + detector + "'");
    }
    return found;
  }

  private static List<String> types(Map<String, JsonNode> mappingsByType) {
    return mappingsByType.keySet().stream().filter(t -> !t.equals("_default_")).toList();
  }

  /** Every mapping body (per type) of every index and template, with where it is. */
  private static void eachMapping(Source s, BiConsumer<String, ObjectNode> visitor) {
    s.indices.forEach(i -> i.mappingsByType().forEach((type, body) -> {
      if (body instanceof ObjectNode && !type.equals("_default_")) {
        visitor.accept("index '" + i.name() + "'" + (type.equals("_doc") ? "" : " type '" + type + "'"), (ObjectNode) body);
      }
    }));
    s.templates.forEach(t -> t.mappingsByType().forEach((type, body) -> {
      if (body instanceof ObjectNode && !type.equals("_default_")) {
        visitor.accept(t.toString(), (ObjectNode) body);
      }
    }));
  }

  private static void fields(Source s, BiConsumer<String, ObjectNode> visitor) {
    eachMapping(s, (where, mapping) -> MappingWalker.walk(mapping, (path, field) -> visitor.accept(where + " field '" + path + "'", field)));
  }

  private static void typedFields(Source s, String type, List<String> found) {
    fields(s, (where, field) -> {
      if (type.equals(field.path("type").asText())) {
        found.add(where);
      }
    });
  }

  private static void settings(Source s, BiConsumer<String, ObjectNode> visitor) {
    s.indices.forEach(i -> visitor.accept("index '" + i.name() + "'", MetadataTransformer.collapseArrays(i.settings())));
    s.templates.forEach(t -> visitor.accept(t.toString(), MetadataTransformer.collapseArrays(t.settings())));
  }
}
