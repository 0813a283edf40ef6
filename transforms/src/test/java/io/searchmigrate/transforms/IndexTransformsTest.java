package io.searchmigrate.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.transforms.metadata.IndexTransforms;
import io.searchmigrate.transforms.metadata.TargetIndex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Index definitions made acceptable to the target, each change named. */
class IndexTransformsTest {
  private static IndexMetadata index(String settingsJson, Map<String, JsonNode> mappings) {
    return new IndexMetadata("books", Json.parse(settingsJson), mappings, Json.object());
  }

  @Test
  void internalSettingsAreNeverSent() {
    TargetIndex target = IndexTransforms.forTarget(index("{\"index\":{\"number_of_shards\":\"3\",\"number_of_replicas\":\"1\","
        + "\"uuid\":\"abc\",\"creation_date\":\"1700000000000\",\"provided_name\":\"books\",\"version\":{\"created\":\"8521000\","
        + "\"upgraded\":\"8521000\"},\"routing\":{\"allocation\":{\"include\":{\"_tier_preference\":\"data_content\"}}},"
        + "\"resize\":{\"source\":{\"uuid\":\"x\"}},\"lifecycle\":{\"name\":\"hot\"},\"blocks\":{\"write\":\"true\"},"
        + "\"analysis\":{\"analyzer\":{\"folded\":{\"tokenizer\":\"standard\"}}},\"refresh_interval\":\"5s\"}}", Map.of()));
    assertEquals(Json.parse("{\"index.number_of_shards\":\"3\",\"index.number_of_replicas\":\"1\","
        + "\"index.analysis.analyzer.folded.tokenizer\":\"standard\",\"index.refresh_interval\":\"5s\"}"), target.settings());
    assertEquals(List.of("strip-internal-settings"), target.applied());
  }

  @Test
  void singleTypeIsUnwrappedAndAllFieldRemoved() {
    Map<String, JsonNode> mappings = Map.of("_doc", Json.parse("{\"_all\":{\"enabled\":false},\"properties\":{\"title\":"
        + "{\"type\":\"text\",\"include_in_all\":false}}}"));
    TargetIndex target = IndexTransforms.forTarget(index("{\"index.number_of_shards\":\"1\"}", mappings));
    assertEquals(Json.parse("{\"properties\":{\"title\":{\"type\":\"text\"}}}"), target.mappings());
    assertEquals(List.of("remove-mapping-types", "remove-all-field"), target.applied());
  }

  @Test
  void severalTypesAreMergedWithConflictsNoted() {
    Map<String, JsonNode> mappings = new LinkedHashMap<>();
    mappings.put("book", Json.parse("{\"dynamic\":\"strict\",\"properties\":{\"title\":{\"type\":\"text\"},\"pages\":{\"type\":\"integer\"}}}"));
    mappings.put("magazine", Json.parse("{\"dynamic\":\"true\",\"properties\":{\"title\":{\"type\":\"keyword\"},\"issue\":{\"type\":\"integer\"}}}"));
    TargetIndex target = IndexTransforms.forTarget(index("{\"index.number_of_shards\":\"1\"}", mappings));
    assertEquals(Json.parse("{\"dynamic\":\"strict\",\"properties\":{\"title\":{\"type\":\"keyword\"},\"pages\":{\"type\":\"integer\"},"
        + "\"issue\":{\"type\":\"integer\"}}}"), target.mappings());
    assertEquals(List.of("merged mapping types [book, magazine] into one mapping",
        "field 'title' differs between types; the definition from type 'magazine' wins"), target.notes());
  }

  @Test
  void aRejectedSettingCanBeDroppedByName() {
    TargetIndex target = IndexTransforms.forTarget(index("{\"index.number_of_shards\":\"1\",\"index.knn\":\"true\"}", Map.of()));
    TargetIndex trimmed = target.withoutSetting("index.knn", "unknown setting");
    assertEquals(Json.parse("{\"index.number_of_shards\":\"1\"}"), trimmed.settings());
    assertEquals(List.of("drop-rejected-settings"), trimmed.applied());
    assertNull(trimmed.withoutSetting("index.knn", "again"), "nothing left to drop");
  }
}
