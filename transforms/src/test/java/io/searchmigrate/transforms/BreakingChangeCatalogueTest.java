package io.searchmigrate.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.transforms.metadata.BreakingChange;
import io.searchmigrate.transforms.metadata.BreakingChangeDetectors;
import io.searchmigrate.transforms.metadata.MetadataTransformer;
import io.searchmigrate.transforms.metadata.VersionRange;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalogue is consistent data, and its detectors find what they are meant to. */
class BreakingChangeCatalogueTest {
  private static final ClusterVersion OS2 = ClusterVersion.parse("OS 2.19.1");

  @Test
  void everyEntryNamesAKnownDetectorAndKnownTransformations() {
    Set<String> transformations = new HashSet<>();
    MetadataTransformer.CHAIN.forEach(t -> transformations.add(t.name()));
    transformations.add("template-to-index-patterns");
    Set<String> ids = new HashSet<>();
    BreakingChangeDetectors.Source empty = new BreakingChangeDetectors.Source(List.of(), List.of(), ClusterVersion.parse("ES 5.6.16"), OS2);
    for (BreakingChange change : BreakingChange.catalogue()) {
      assertTrue(ids.add(change.id()), "unique id " + change.id());
      BreakingChangeDetectors.detect(change.detector(), empty); // throws for an unknown detector
      change.automatic().forEach(a -> assertTrue(transformations.contains(a), change.id() + " names transformation " + a));
      assertFalse(change.why().isBlank(), change.id());
    }
    assertTrue(ids.size() >= 20, "a catalogue worth the name: " + ids.size());
  }

  @Test
  void versionRanges() {
    assertTrue(VersionRange.parse("ES <7.0").contains(ClusterVersion.parse("ES 6.8.23")));
    assertFalse(VersionRange.parse("ES <7.0").contains(ClusterVersion.parse("ES 7.0.0")));
    assertFalse(VersionRange.parse("ES <7.0").contains(ClusterVersion.parse("OS 1.3.20")));
    assertTrue(VersionRange.parse("ES >=6.7 <8.0").contains(ClusterVersion.parse("ES 7.17.29")));
    assertFalse(VersionRange.parse("ES >=6.7 <8.0").contains(ClusterVersion.parse("ES 6.6.0")));
    assertTrue(VersionRange.parse("any").contains(ClusterVersion.parse("OS 3.1.0")));
  }

  @Test
  void detectorsFindTheirItems() {
    Map<String, JsonNode> types = new LinkedHashMap<>();
    types.put("book", Json.parse("{\"properties\":{\"title\":{\"type\":\"string\"},\"at\":{\"type\":\"date\",\"format\":\"YYYY-MM-dd\"}}}"));
    types.put("dvd", Json.parse("{\"_parent\":{\"type\":\"book\"},\"properties\":{\"len\":{\"type\":\"integer\"}}}"));
    IndexMetadata lib = new IndexMetadata("lib", Json.parse("{\"index.number_of_shards\":\"1\",\"index.analysis.filter.g.type\":\"nGram\","
        + "\"index.analysis.filter.g.min_gram\":\"1\",\"index.analysis.filter.g.max_gram\":\"4\"}"), types,
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse("{\"dvds\":{\"filter\":{\"type\":{\"value\":\"dvd\"}}}}"));
    TemplateMetadata template = TemplateMetadata.fromBody(TemplateMetadata.Kind.LEGACY, "logs", Json.parse(
        "{\"template\":\"logs-*\",\"mappings\":{\"event\":{\"properties\":{\"msg\":{\"type\":\"string\"}}}}}"), v -> v);
    BreakingChangeDetectors.Source source = new BreakingChangeDetectors.Source(List.of(lib), List.of(template),
        ClusterVersion.parse("ES 5.6.16"), OS2);
    assertEquals(List.of("index 'lib' (types book, dvd)"), BreakingChangeDetectors.detect("multi-type-indices", source));
    assertEquals(List.of("index 'lib' type 'book' field 'title'", "legacy template 'logs' field 'msg'"),
        BreakingChangeDetectors.detect("string-fields", source));
    assertEquals(List.of("index 'lib' type 'dvd' (_parent type 'book')"), BreakingChangeDetectors.detect("parent-field", source));
    assertEquals(List.of("index 'lib' type 'book' field 'at' (format \"YYYY-MM-dd\")"), BreakingChangeDetectors.detect("joda-date-formats", source));
    assertEquals(List.of("index 'lib': filter 'g' of type nGram"), BreakingChangeDetectors.detect("renamed-analysis", source));
    assertEquals(List.of("index 'lib': needs index.max_ngram_diff 3 (the analysis defines a range that wide)"),
        BreakingChangeDetectors.detect("ngram-diff", source));
    assertEquals(List.of("alias 'dvds' of index 'lib'"), BreakingChangeDetectors.detect("alias-type-filters", source));
    assertEquals(List.of("legacy template 'logs' (patterns [logs-*])"), BreakingChangeDetectors.detect("templates-without-shards", source));
  }

  @Test
  void removedSettingsAreFoundForTheTargetsThatRefuseThem() {
    IndexMetadata merges = new IndexMetadata("merges", Json.parse("{\"index.number_of_shards\":\"1\","
        + "\"index.merge.policy.max_merge_at_once_explicit\":\"30\",\"index.store.hybrid.mmap.extensions.0\":\"nvd\","
        + "\"index.store.hybrid.mmap.extensions.1\":\"dvd\"}"), Map.of(), Json.object());
    TemplateMetadata template = TemplateMetadata.fromBody(TemplateMetadata.Kind.LEGACY, "logs", Json.parse(
        "{\"index_patterns\":[\"logs-*\"],\"settings\":{\"optimize_auto_generated_id\":\"true\"}}"), v -> v);
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("OS 1.3.20", List.of("legacy template 'logs' (index.optimize_auto_generated_id)"));
    expected.put("OS 2.19.1", List.of("index 'merges' (index.merge.policy.max_merge_at_once_explicit)",
        "legacy template 'logs' (index.optimize_auto_generated_id)"));
    expected.put("OS 3.1.0", List.of("index 'merges' (index.merge.policy.max_merge_at_once_explicit)",
        "index 'merges' (index.store.hybrid.mmap.extensions)", "legacy template 'logs' (index.optimize_auto_generated_id)"));
    expected.forEach((target, found) -> assertEquals(found, BreakingChangeDetectors.detect("removed-index-settings",
        new BreakingChangeDetectors.Source(List.of(merges), List.of(template), ClusterVersion.parse("ES 6.8.23"),
            ClusterVersion.parse(target))), target));
  }

  @Test
  void classicSimilaritiesAreFoundInSettingsAndOnFields() {
    IndexMetadata docs = new IndexMetadata("docs", Json.parse("{\"index.number_of_shards\":\"1\","
        + "\"index.similarity.tfidf.type\":\"classic\"}"), Map.of("_doc", Json.parse("{\"properties\":{\"body\":{\"type\":"
        + "\"text\",\"similarity\":\"classic\"},\"title\":{\"type\":\"text\",\"similarity\":\"tfidf\"}}}")), Json.object());
    assertEquals(List.of("index 'docs': similarity 'tfidf'", "index 'docs' field 'body'"), BreakingChangeDetectors.detect(
        "classic-similarity", new BreakingChangeDetectors.Source(List.of(docs), List.of(), ClusterVersion.parse("ES 6.8.23"), OS2)));
  }

  @Test
  void findingsDoNotDependOnTheOrderTheSourceListsTypesIn() {
    Map<String, JsonNode> types = new LinkedHashMap<>();
    // a live Elasticsearch 5 lists the types of an index in hash-map order, different from call to call
    types.put("dvd", Json.parse("{\"properties\":{\"minutes\":{\"type\":\"string\"}}}"));
    types.put("book", Json.parse("{\"properties\":{\"title\":{\"type\":\"string\"}}}"));
    IndexMetadata lib = new IndexMetadata("lib", Json.parse("{\"index.number_of_shards\":\"1\"}"), types, Json.object());
    BreakingChangeDetectors.Source source = new BreakingChangeDetectors.Source(List.of(lib), List.of(),
        ClusterVersion.parse("ES 5.6.16"), OS2);

    assertEquals(List.of("index 'lib' (types book, dvd)"), BreakingChangeDetectors.detect("multi-type-indices", source));
    assertEquals(List.of("index 'lib' type 'book' field 'title'", "index 'lib' type 'dvd' field 'minutes'"),
        BreakingChangeDetectors.detect("string-fields", source));
  }
}
