package io.searchmigrate.common.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sources hand out types, aliases, settings and templates in hash-map order (a live Elasticsearch 5 answers
 * "dvd, book" on one call and "book, dvd" on the next); what the migration holds is in one order whatever they do.
 */
class SourceOrderTest {
  @Test
  void anIndexHoldsTypesAliasesAndSettingsInNameOrder() {
    Map<String, JsonNode> types = new LinkedHashMap<>();
    types.put("dvd", Json.parse("{\"properties\":{\"minutes\":{\"type\":\"integer\"}}}"));
    types.put("book", Json.parse("{\"properties\":{\"title\":{\"type\":\"text\"}}}"));
    types.put("_default_", Json.object());
    IndexMetadata index = new IndexMetadata("lib", Json.parse("{\"index\":{\"number_of_shards\":\"1\",\"analysis\":{\"filter\":"
        + "{\"g\":{\"type\":\"nGram\"}}},\"blocks\":{\"write\":\"true\"}}}"), types,
        (ObjectNode) Json.parse("{\"recent\":{},\"all\":{\"routing\":\"1\"},\"books\":{}}"));

    assertEquals(List.of("_default_", "book", "dvd"), List.copyOf(index.mappingsByType().keySet()));
    assertEquals(List.of("all", "books", "recent"), names(index.aliases()));
    assertEquals(List.of("index.analysis.filter.g.type", "index.blocks.write", "index.number_of_shards"), names(index.settings()));
    assertEquals("1", index.aliases().path("all").path("routing").asText(), "values are kept as they are");
  }

  @Test
  void aTemplateHoldsTypesAliasesAndSettingsInNameOrder() {
    TemplateMetadata template = TemplateMetadata.fromBody(TemplateMetadata.Kind.LEGACY, "logs", Json.parse("{\"template\":\"logs-*\","
        + "\"settings\":{\"number_of_shards\":1,\"codec\":\"best_compression\"},\"aliases\":{\"z\":{},\"a\":{}},"
        + "\"mappings\":{\"event\":{},\"audit\":{}}}"), v -> v);

    assertEquals(List.of("audit", "event"), List.copyOf(template.mappingsByType().keySet()));
    assertEquals(List.of("a", "z"), names(template.aliases()));
    assertEquals(List.of("codec", "number_of_shards"), names(template.settings()));
  }

  @Test
  void templatesSortIntoCreationOrder() {
    List<TemplateMetadata> templates = new ArrayList<>(List.of(template(TemplateMetadata.Kind.INDEX, "a"),
        template(TemplateMetadata.Kind.COMPONENT, "b"), template(TemplateMetadata.Kind.LEGACY, "z"),
        template(TemplateMetadata.Kind.INDEX, "0"), template(TemplateMetadata.Kind.LEGACY, "c")));

    templates.sort(TemplateMetadata.CREATION_ORDER);

    assertEquals(List.of("legacy template 'c'", "legacy template 'z'", "component template 'b'", "index template '0'",
        "index template 'a'"), templates.stream().map(TemplateMetadata::toString).toList());
  }

  private static TemplateMetadata template(TemplateMetadata.Kind kind, String name) {
    return new TemplateMetadata(kind, name, List.of(), null, null, List.of(), null, Map.of(), null, null);
  }

  private static List<String> names(ObjectNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
