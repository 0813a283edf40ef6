package io.searchmigrate.common.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A template as a source holds it, in one shape for all three kinds: legacy templates ({@code _template}),
 * composable index templates ({@code _index_template}) and component templates ({@code _component_template}).
 * Settings are flat; mappings are kept per type as the source wrote them (typeless ones under {@code _doc}).
 * Settings, types and aliases are held sorted by name, as in {@link IndexMetadata}.
 */
public final class TemplateMetadata implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Which API the template belongs to. */
  public enum Kind {
    LEGACY("legacy template", "_template"),
    INDEX("index template", "_index_template"),
    COMPONENT("component template", "_component_template");

    private final String displayName;
    private final String endpoint;

    Kind(String displayName, String endpoint) {
      this.displayName = displayName;
      this.endpoint = endpoint;
    }

    public String displayName() {
      return displayName;
    }

    /** The REST endpoint, e.g. {@code _index_template}. */
    public String endpoint() {
      return endpoint;
    }

    /** Legacy templates first, then components, then the index templates that may be composed of them. */
    int creationRank() {
      return this == LEGACY ? 0 : this == COMPONENT ? 1 : 2;
    }
  }

  /**
   * The order templates are created and reported in: by {@link Kind} (legacy, component, index), then by name.
   * Sources list templates in hash-map order, so every step that walks templates sorts them with this.
   */
  public static final Comparator<TemplateMetadata> CREATION_ORDER =
      Comparator.comparingInt((TemplateMetadata t) -> t.kind().creationRank()).thenComparing(TemplateMetadata::name);

  private final Kind kind;
  private final String name;
  private final List<String> patterns;
  private final Integer order;
  private final Integer version;
  private final List<String> composedOf;
  private final ObjectNode settings;
  private final Map<String, JsonNode> mappingsByType;
  private final ObjectNode aliases;
  private final ObjectNode extra;

  public TemplateMetadata(Kind kind, String name, List<String> patterns, Integer order, Integer version, List<String> composedOf,
      JsonNode settings, Map<String, JsonNode> mappingsByType, ObjectNode aliases, ObjectNode extra) {
    this.kind = kind;
    this.name = name;
    this.patterns = List.copyOf(patterns);
    this.order = order;
    this.version = version;
    this.composedOf = List.copyOf(composedOf);
    ObjectNode flat = Json.object();
    if (settings != null) {
      IndexMetadata.flatten("", settings, flat);
    }
    this.settings = IndexMetadata.sortedFields(flat);
    this.mappingsByType = Collections.unmodifiableMap(new TreeMap<>(mappingsByType));
    this.aliases = aliases == null ? Json.object() : IndexMetadata.sortedFields(aliases);
    this.extra = extra == null ? Json.object() : extra;
  }

  /**
   * Reads a template body as its API (or a snapshot's global metadata) holds it.
   *
   * @param decode turns stored mappings and alias filters into JSON (snapshots may compress them)
   */
  public static TemplateMetadata fromBody(Kind kind, String name, JsonNode body, UnaryOperator<JsonNode> decode) {
    JsonNode template = kind == Kind.LEGACY ? body : body.path("template");
    List<String> patterns = new ArrayList<>();
    JsonNode indexPatterns = body.has("index_patterns") ? body.get("index_patterns") : body.get("template");
    if (kind != Kind.COMPONENT && indexPatterns != null && !indexPatterns.isObject()) {
      if (indexPatterns.isArray()) {
        indexPatterns.forEach(p -> patterns.add(p.asText()));
      } else {
        patterns.add(indexPatterns.asText());
      }
    }
    List<String> composedOf = new ArrayList<>();
    body.path("composed_of").forEach(c -> composedOf.add(c.asText()));
    ObjectNode aliases = Json.object();
    template.path("aliases").fields().forEachRemaining(e -> {
      ObjectNode alias = e.getValue().isObject() ? ((ObjectNode) e.getValue()).deepCopy() : Json.object();
      if (alias.has("filter")) {
        alias.set("filter", decode.apply(alias.get("filter")));
      }
      aliases.set(e.getKey(), alias);
    });
    ObjectNode extra = Json.object();
    body.fields().forEachRemaining(e -> {
      if (!KNOWN_KEYS.contains(e.getKey())) {
        extra.set(e.getKey(), e.getValue());
      }
    });
    JsonNode order = kind == Kind.LEGACY ? body.get("order") : body.get("priority");
    JsonNode version = body.get("version");
    return new TemplateMetadata(kind, name, patterns, order == null || order.isNull() ? null : order.asInt(),
        version == null || version.isNull() ? null : version.asInt(), composedOf, template.path("settings"),
        Mappings.byType(template.get("mappings"), decode), aliases, extra);
  }

  private static final java.util.Set<String> KNOWN_KEYS = java.util.Set.of("template", "index_patterns", "composed_of", "order",
      "priority", "version", "settings", "mappings", "aliases");

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  /** Index patterns (legacy and index templates; empty for component templates). */
  public List<String> patterns() {
    return patterns;
  }

  /** {@code order} of legacy templates, {@code priority} of index templates; null when unset. */
  public Integer order() {
    return order;
  }

  public Integer version() {
    return version;
  }

  /** Component templates an index template is composed of. */
  public List<String> composedOf() {
    return composedOf;
  }

  /** Flat settings. */
  public ObjectNode settings() {
    return settings.deepCopy();
  }

  public Map<String, JsonNode> mappingsByType() {
    return mappingsByType;
  }

  public ObjectNode aliases() {
    return aliases.deepCopy();
  }

  /** Everything else the template carries ({@code _meta}, {@code data_stream}, ...), passed on as is. */
  public ObjectNode extra() {
    return extra.deepCopy();
  }

  @Override
  public String toString() {
    return kind.displayName() + " '" + name + "'";
  }
}
