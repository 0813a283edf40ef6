package io.searchmigrate.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.transforms.metadata.MetadataTransformer;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import io.searchmigrate.transforms.metadata.TransformedItem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each named transformation, on definitions shaped like the sources write them. */
class MetadataTransformerTest {
  private static final ClusterVersion ES5 = ClusterVersion.parse("ES 5.6.16");
  private static final ClusterVersion ES7 = ClusterVersion.parse("ES 7.10.2");
  private static final ClusterVersion ES8 = ClusterVersion.parse("ES 8.15.0");
  private static final ClusterVersion OS2 = ClusterVersion.parse("OS 2.19.1");

  private static MetadataTransformer transformer(ClusterVersion source, ClusterVersion target) {
    return new MetadataTransformer(source, target, MigrationOptions.defaults());
  }

  private static IndexMetadata index(String settings, Map<String, JsonNode> mappings) {
    return new IndexMetadata("books", Json.parse(settings), mappings, Json.object());
  }

  private static Map<String, JsonNode> type(String name, String json) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    m.put(name, Json.parse(json));
    return m;
  }

  @Test
  void internalSettingsAreNeverSent() {
    TransformedItem item = transformer(ES8, OS2).index(index("{\"index\":{\"number_of_shards\":\"3\",\"number_of_replicas\":\"1\","
        + "\"uuid\":\"abc\",\"creation_date\":\"1700000000000\",\"provided_name\":\"books\",\"version\":{\"created\":\"8521000\"},"
        + "\"routing\":{\"allocation\":{\"include\":{\"_tier_preference\":\"data_content\"}}},\"lifecycle\":{\"name\":\"hot\"},"
        + "\"blocks\":{\"write\":\"true\"},\"refresh_interval\":\"5s\"}}", Map.of())).get(0);
    assertEquals(Json.parse("{\"index.number_of_shards\":\"3\",\"index.number_of_replicas\":\"1\",\"index.refresh_interval\":\"5s\"}"),
        item.body().get("settings"));
    assertEquals(List.of("strip-internal-settings"), item.applied());
  }

  @Test
  void stringFieldsBecomeTextOrKeywordWithTheirParameters() {
    TransformedItem item = transformer(ES5, OS2).index(index("{\"index.number_of_shards\":\"1\"}", type("doc",
        "{\"_all\":{\"enabled\":true},\"properties\":{"
            + "\"title\":{\"type\":\"string\",\"analyzer\":\"english\",\"include_in_all\":true,\"norms\":{\"enabled\":false}},"
            + "\"tag\":{\"type\":\"string\",\"index\":\"not_analyzed\",\"ignore_above\":256,\"doc_values\":true},"
            + "\"secret\":{\"type\":\"string\",\"index\":\"no\"},"
            + "\"name\":{\"type\":\"string\",\"fields\":{\"raw\":{\"type\":\"string\",\"index\":\"not_analyzed\"}}}}}"))).get(0);
    assertEquals(Json.parse("{\"properties\":{"
        + "\"title\":{\"type\":\"text\",\"analyzer\":\"english\",\"norms\":false},"
        + "\"tag\":{\"type\":\"keyword\",\"ignore_above\":256,\"doc_values\":true},"
        + "\"secret\":{\"type\":\"keyword\",\"index\":false},"
        + "\"name\":{\"type\":\"text\",\"fields\":{\"raw\":{\"type\":\"keyword\"}}}}}"), item.body().get("mappings"));
    assertEquals(List.of("remove-mapping-types", "string-to-text-keyword", "remove-all-parent-timestamp", "keep-routing-shards"),
        item.applied());
    assertTrue(item.notes().contains("field 'name.raw': string became keyword"), item.notes().toString());
  }

  @Test
  void multiTypeIndicesMergeByDefaultAndSplitOnRequest() {
    Map<String, JsonNode> types = new LinkedHashMap<>();
    types.put("book", Json.parse("{\"dynamic\":\"strict\",\"properties\":{\"title\":{\"type\":\"text\"},\"pages\":{\"type\":\"integer\"}}}"));
    types.put("magazine", Json.parse("{\"properties\":{\"title\":{\"type\":\"keyword\"},\"issue\":{\"type\":\"integer\"}}}"));
    types.put("_default_", Json.parse("{\"properties\":{}}"));
    IndexMetadata library = index("{\"index.number_of_shards\":\"1\"}", types);

    TransformedItem merged = transformer(ES5, OS2).index(library).get(0);
    assertEquals(Json.parse("{\"dynamic\":\"strict\",\"properties\":{\"title\":{\"type\":\"keyword\"},\"pages\":{\"type\":\"integer\"},"
        + "\"issue\":{\"type\":\"integer\"}}}"), merged.body().get("mappings"));
    assertTrue(merged.warnings().contains("field 'title' is defined differently in several types; the definition of type "
        + "'magazine' wins"), merged.warnings().toString());

    List<TransformedItem> split = new MetadataTransformer(ES5, OS2, MigrationOptions.defaults().withMultiType("split")).index(library);
    assertEquals(List.of("books_book", "books_magazine"), split.stream().map(TransformedItem::targetName).toList());
    assertEquals(Json.parse("{\"properties\":{\"title\":{\"type\":\"keyword\"},\"issue\":{\"type\":\"integer\"}}}"),
        split.get(1).body().get("mappings"));
    assertEquals("books", split.get(1).sourceName());
  }

  @Test
  void typesMergeInNameOrderWhateverOrderTheSourceListsThemIn() {
    Map<String, JsonNode> types = new LinkedHashMap<>();
    types.put("magazine", Json.parse("{\"properties\":{\"title\":{\"type\":\"keyword\"}}}"));
    types.put("book", Json.parse("{\"properties\":{\"title\":{\"type\":\"text\"}}}"));

    TransformedItem merged = transformer(ES5, OS2).index(index("{\"index.number_of_shards\":\"1\"}", types)).get(0);

    assertEquals(Json.parse("{\"properties\":{\"title\":{\"type\":\"keyword\"}}}"), merged.body().get("mappings"));
    assertEquals(List.of("merged mapping types [book, magazine] into one mapping; documents of every type go into the same index, "
        + "and a document id used in two types keeps only one of them (use --multi-type split to keep them apart)",
        "field 'title' is defined differently in several types; the definition of type 'magazine' wins"),
        merged.warnings());
  }

  @Test
  void analysisComponentsAreRenamedAndTheStandardFilterRemoved() {
    TransformedItem item = transformer(ES5, OS2).index(index("{\"index.number_of_shards\":\"1\","
        + "\"index.analysis.filter.grams.type\":\"nGram\",\"index.analysis.filter.grams.min_gram\":\"2\","
        + "\"index.analysis.filter.std.type\":\"standard\","
        + "\"index.analysis.analyzer.a.tokenizer\":\"edgeNGram\","
        + "\"index.analysis.analyzer.a.filter.0\":\"standard\",\"index.analysis.analyzer.a.filter.1\":\"lowercase\","
        + "\"index.analysis.analyzer.a.filter.2\":\"grams\",\"index.analysis.char_filter.h.type\":\"htmlStrip\"}", Map.of())).get(0);
    assertEquals(Json.parse("{\"index.number_of_shards\":\"1\",\"index.analysis.filter.grams.type\":\"ngram\","
        + "\"index.analysis.filter.grams.min_gram\":\"2\",\"index.analysis.analyzer.a.tokenizer\":\"edge_ngram\","
        + "\"index.analysis.char_filter.h.type\":\"html_strip\",\"index.analysis.analyzer.a.filter\":[\"lowercase\",\"grams\"],"
        + "\"index.number_of_routing_shards\":\"1\"}"), item.body().get("settings"));
    assertTrue(item.applied().contains("rename-analysis-components"));
  }

  @Test
  void elasticsearchOnlyFieldTypesAndFeaturesFindTheirOpenSearchCounterparts() {
    TransformedItem item = transformer(ES8, OS2).index(index("{\"index.number_of_shards\":\"1\"}", type("_doc",
        "{\"runtime\":{\"day\":{\"type\":\"keyword\"}},\"properties\":{"
            + "\"attrs\":{\"type\":\"flattened\",\"depth_limit\":5},"
            + "\"vec\":{\"type\":\"dense_vector\",\"dims\":3,\"index\":true,\"similarity\":\"dot_product\"},"
            + "\"env\":{\"type\":\"constant_keyword\",\"value\":\"prod\"},"
            + "\"big\":{\"type\":\"unsigned_long\"},\"pattern\":{\"type\":\"wildcard\"}}}"))).get(0);
    assertEquals(Json.parse("{\"properties\":{"
        + "\"attrs\":{\"type\":\"flat_object\"},"
        + "\"vec\":{\"type\":\"knn_vector\",\"dimension\":3,\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\","
        + "\"space_type\":\"innerproduct\",\"parameters\":{\"m\":16,\"ef_construction\":100}}},"
        + "\"env\":{\"type\":\"keyword\"},\"big\":{\"type\":\"unsigned_long\"},\"pattern\":{\"type\":\"wildcard\"}}}"),
        item.body().get("mappings"));
    assertEquals("true", item.body().get("settings").path("index.knn").asText());
    assertTrue(item.warnings().contains("removed runtime fields [day]: recreate them as derived fields or compute them at ingest"));

    TransformedItem old = transformer(ES8, ClusterVersion.parse("OS 2.5.0")).index(index("{\"index.number_of_shards\":\"1\"}",
        type("_doc", "{\"properties\":{\"attrs\":{\"type\":\"flattened\"},\"big\":{\"type\":\"unsigned_long\"}}}"))).get(0);
    assertEquals(Json.parse("{\"properties\":{\"attrs\":{\"type\":\"object\",\"enabled\":false},\"big\":{\"type\":\"long\"}}}"),
        old.body().get("mappings"));
  }

  @Test
  void routingShardsOfOldIndicesAreKeptSoRoutingLandsOnTheSameShard() {
    TransformedItem es5 = transformer(ES5, OS2).index(index("{\"index.number_of_shards\":\"2\"}", Map.of())).get(0);
    assertEquals("2", es5.body().get("settings").path("index.number_of_routing_shards").asText());
    IndexMetadata recorded = new IndexMetadata("books", Json.parse("{\"index.number_of_shards\":\"3\"}"), Map.of(), Json.object(), 6);
    assertEquals("6", transformer(ES7, OS2).index(recorded).get(0).body().get("settings").path("index.number_of_routing_shards").asText());
    assertTrue(transformer(ES7, OS2).index(index("{\"index.number_of_shards\":\"2\"}", Map.of())).get(0).body().get("settings")
        .path("index.number_of_routing_shards").isMissingNode(), "a 7.x default is the target's default too");
  }

  @Test
  void wideNgramRangesGetTheLimitRaised() {
    TransformedItem item = transformer(ES5, OS2).index(index("{\"index.number_of_shards\":\"1\","
        + "\"index.analysis.tokenizer.t.type\":\"ngram\",\"index.analysis.tokenizer.t.min_gram\":\"2\","
        + "\"index.analysis.tokenizer.t.max_gram\":\"5\",\"index.analysis.filter.s.type\":\"shingle\","
        + "\"index.analysis.filter.s.max_shingle_size\":\"6\"}", Map.of())).get(0);
    assertEquals("3", item.body().get("settings").path("index.max_ngram_diff").asText());
    assertEquals("4", item.body().get("settings").path("index.max_shingle_diff").asText());
  }

  @Test
  void replicasAreRaisedForAwareness() {
    MetadataTransformer zones = new MetadataTransformer(ES7, OS2, MigrationOptions.defaults().withAwarenessAttributes(3));
    TransformedItem item = zones.index(index("{\"index.number_of_shards\":\"1\",\"index.number_of_replicas\":\"1\"}", Map.of())).get(0);
    assertEquals("2", item.body().get("settings").path("index.number_of_replicas").asText());
    assertTrue(item.notes().contains("number_of_replicas 1 → 2 (copies must be a multiple of 3)"), item.notes().toString());
  }

  @Test
  void legacyTemplatesOfElasticsearch5GetIndexPatternsAndTypelessMappings() {
    TemplateMetadata template = TemplateMetadata.fromBody(TemplateMetadata.Kind.LEGACY, "logs",
        Json.parse("{\"order\":1,\"template\":\"logs-*\",\"settings\":{\"index\":{\"number_of_shards\":\"2\"}},"
            + "\"mappings\":{\"event\":{\"_all\":{\"enabled\":false},\"properties\":{\"msg\":{\"type\":\"string\"}}}},"
            + "\"aliases\":{\"all-logs\":{}}}"), v -> v);
    TransformedItem item = transformer(ES5, OS2).template(template);
    assertEquals(Json.parse("{\"index_patterns\":[\"logs-*\"],\"order\":1,\"settings\":{\"index.number_of_shards\":\"2\"},"
        + "\"mappings\":{\"properties\":{\"msg\":{\"type\":\"text\"}}},\"aliases\":{\"all-logs\":{}}}"), item.body());
    assertEquals(List.of("template-to-index-patterns", "remove-mapping-types", "string-to-text-keyword", "remove-all-parent-timestamp"),
        item.applied());
  }

  @Test
  void indexTemplatesKeepTheirShapeWithoutElasticsearchOnlyFields() {
    TemplateMetadata template = TemplateMetadata.fromBody(TemplateMetadata.Kind.INDEX, "metrics-app",
        Json.parse("{\"index_patterns\":[\"metrics-app-*\"],\"priority\":200,\"composed_of\":[\"base\"],\"version\":3,"
            + "\"allow_auto_create\":true,\"_meta\":{\"owner\":\"ops\"},\"data_stream\":{\"hidden\":false},"
            + "\"template\":{\"settings\":{\"index\":{\"number_of_replicas\":\"0\"}},\"mappings\":{\"properties\":{\"v\":{\"type\":\"long\"}}}}}"),
        v -> v);
    TransformedItem item = transformer(ES8, OS2).template(template);
    assertEquals(Json.parse("{\"index_patterns\":[\"metrics-app-*\"],\"composed_of\":[\"base\"],\"priority\":200,\"version\":3,"
        + "\"template\":{\"settings\":{\"index.number_of_replicas\":\"0\"},\"mappings\":{\"properties\":{\"v\":{\"type\":\"long\"}}}},"
        + "\"_meta\":{\"owner\":\"ops\"},\"data_stream\":{}}"), item.body());
    assertTrue(item.applied().contains("drop-elasticsearch-only-template-fields"), item.applied().toString());
  }

  @Test
  void aTemplateWithSeveralTypesUnderSplitSaysItCannotBeSplit() {
    TemplateMetadata template = TemplateMetadata.fromBody(TemplateMetadata.Kind.LEGACY, "t5", Json.parse("{\"template\":\"ev-*\","
        + "\"mappings\":{\"e\":{\"properties\":{\"a\":{\"type\":\"keyword\"}}},\"x\":{\"properties\":{\"b\":{\"type\":\"long\"}}}}}"),
        v -> v);
    TransformedItem split = new MetadataTransformer(ES5, OS2, MigrationOptions.defaults().withMultiType("split")).template(template);
    assertEquals(List.of("merged mapping types [e, x] into one mapping; a template cannot be split by type: the indices it "
        + "makes on the target get every type's fields"), split.warnings());
    assertTrue(transformer(ES5, OS2).template(template).warnings().get(0).endsWith("(use --multi-type split to keep them apart)"));
  }

  @Test
  void theClassicSimilarityBecomesBm25WithAWarning() {
    TransformedItem item = transformer(ClusterVersion.parse("ES 6.8.23"), OS2).index(index("{\"index.number_of_shards\":\"1\","
        + "\"index.similarity.tfidf.type\":\"classic\",\"index.similarity.tfidf.discount_overlaps\":\"false\","
        + "\"index.similarity.tuned.type\":\"BM25\",\"index.similarity.tuned.k1\":\"1.5\"}",
        type("_doc", "{\"properties\":{\"body\":{\"type\":\"text\",\"similarity\":\"classic\",\"fields\":{\"raw\":{\"type\":"
            + "\"text\",\"similarity\":\"classic\"}}},\"title\":{\"type\":\"text\",\"similarity\":\"tfidf\"},"
            + "\"tag\":{\"type\":\"text\",\"similarity\":\"boolean\"}}}"))).get(0);
    JsonNode settings = item.body().get("settings");
    assertEquals("BM25", settings.path("index.similarity.tfidf.type").asText());
    assertEquals("false", settings.path("index.similarity.tfidf.discount_overlaps").asText(), "a parameter BM25 has too");
    assertEquals("1.5", settings.path("index.similarity.tuned.k1").asText());
    JsonNode properties = item.body().path("mappings").path("properties");
    assertEquals("BM25", properties.path("body").path("similarity").asText());
    assertEquals("BM25", properties.path("body").path("fields").path("raw").path("similarity").asText());
    assertEquals("tfidf", properties.path("title").path("similarity").asText(), "a named similarity stays named");
    assertEquals("boolean", properties.path("tag").path("similarity").asText());
    assertEquals(List.of("similarity 'tfidf' was classic (TF-IDF), removed in Elasticsearch 7.0: it is BM25 on the target, so "
        + "scores and the order of hits differ", "field(s) body, body.raw used the classic (TF-IDF) similarity, removed in "
        + "Elasticsearch 7.0: BM25 on the target, so scores and the order of hits differ"), item.warnings());
  }

  @Test
  void settingsTheTargetRemovedAreDroppedOnlyForTargetsThatRefuseThem() {
    String settings = "{\"index\":{\"number_of_shards\":\"1\",\"optimize_auto_generated_id\":\"true\","
        + "\"merge\":{\"policy\":{\"max_merge_at_once_explicit\":\"30\"}},\"store\":{\"hybrid\":{\"mmap\":{\"extensions\":[\"nvd\"]}}}}}";
    Map<ClusterVersion, String> kept = new LinkedHashMap<>();
    kept.put(ClusterVersion.parse("OS 1.3.20"), "{\"index.number_of_shards\":\"1\",\"index.number_of_routing_shards\":\"1\",\"index.merge.policy.max_merge_at_once_explicit\":\"30\","
        + "\"index.store.hybrid.mmap.extensions\":[\"nvd\"]}");
    kept.put(OS2, "{\"index.number_of_shards\":\"1\",\"index.number_of_routing_shards\":\"1\",\"index.store.hybrid.mmap.extensions\":[\"nvd\"]}");
    kept.put(ClusterVersion.parse("OS 3.1.0"), "{\"index.number_of_shards\":\"1\",\"index.number_of_routing_shards\":\"1\"}");
    kept.forEach((target, expected) -> {
      TransformedItem item = transformer(ClusterVersion.parse("ES 6.8.23"), target).index(index(settings, Map.of())).get(0);
      assertEquals(Json.parse(expected), item.body().get("settings"), target.toString());
      assertTrue(item.applied().contains("drop-removed-settings"), item.applied().toString());
    });
    // a legacy template's settings may leave out the "index." prefix
    TemplateMetadata template = TemplateMetadata.fromBody(TemplateMetadata.Kind.LEGACY, "logs",
        Json.parse("{\"index_patterns\":[\"logs-*\"],\"settings\":{\"merge.policy.max_merge_at_once_explicit\":\"30\","
            + "\"refresh_interval\":\"5s\"}}"), v -> v);
    TransformedItem item = transformer(ES7, OS2).template(template);
    assertEquals(Json.parse("{\"refresh_interval\":\"5s\"}"), item.body().get("settings"), item.body().toString());
  }

  @Test
  void aRejectedSettingCanBeDroppedByName() {
    TransformedItem item = transformer(ES7, OS2).index(index("{\"index.number_of_shards\":\"1\",\"index.some_plugin\":\"x\"}", Map.of())).get(0);
    TransformedItem trimmed = item.withoutSetting("index.some_plugin", "unknown setting");
    assertEquals(Json.parse("{\"index.number_of_shards\":\"1\"}"), trimmed.body().get("settings"));
    assertTrue(trimmed.applied().contains("drop-rejected-settings"));
    assertNull(trimmed.withoutSetting("index.some_plugin", "again"), "nothing left to drop");
  }
}
