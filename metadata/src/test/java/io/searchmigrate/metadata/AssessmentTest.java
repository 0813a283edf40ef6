package io.searchmigrate.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.metadata.TestItems.InMemorySource;
import io.searchmigrate.metadata.assess.Assessment;
import io.searchmigrate.metadata.assess.AssessmentReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The assessment lists what a breaking change touches in one order, whatever order the source lists its items in. */
class AssessmentTest {
  @Test
  void affectedItemsComeIndicesByNameThenTemplatesInCreationOrder() {
    String stringField = "{\"properties\":{\"name\":{\"type\":\"string\"}}}";
    InMemorySource source = new InMemorySource()
        .with(TestItems.template(TemplateMetadata.Kind.INDEX, "a_it", "{\"index_patterns\":[\"a-*\"],\"template\":{\"mappings\":"
            + stringField + "}}"))
        .with(TestItems.template(TemplateMetadata.Kind.LEGACY, "z_legacy", "{\"index_patterns\":[\"z-*\"],\"mappings\":" + stringField + "}"))
        .with(TestItems.template(TemplateMetadata.Kind.COMPONENT, "m_comp", "{\"template\":{\"mappings\":" + stringField + "}}"))
        .with(TestItems.template(TemplateMetadata.Kind.LEGACY, "b_legacy", "{\"index_patterns\":[\"b-*\"],\"mappings\":" + stringField + "}"))
        .with(TestItems.index("people", "{\"index.number_of_shards\":\"1\"}", stringField, "{}"))
        .with(TestItems.index("animals", "{\"index.number_of_shards\":\"1\"}", stringField, "{}"));

    AssessmentReport report = Assessment.of(source, ClusterVersion.parse("OS 2.19.1"), Selection.defaults());

    assertEquals(List.of("index 'animals' field 'name'", "index 'people' field 'name'", "legacy template 'b_legacy' field 'name'",
        "legacy template 'z_legacy' field 'name'", "component template 'm_comp' field 'name'", "index template 'a_it' field 'name'"),
        report.finding("string-fields").affected);
  }

  @Test
  void theReportNamesTheIndicesItAssessedSortedSystemOnesLeftOut() {
    String mapping = "{\"properties\":{\"name\":{\"type\":\"keyword\"}}}";
    InMemorySource source = new InMemorySource()
        .with(TestItems.index("people", "{\"index.number_of_shards\":\"1\"}", mapping, "{}"))
        .with(TestItems.index(".kibana_1", "{\"index.number_of_shards\":\"1\"}", mapping, "{}"))
        .with(TestItems.index("watches", "{\"index.number_of_shards\":\"1\"}", mapping, "{}"))
        .with(TestItems.index("animals", "{\"index.number_of_shards\":\"1\"}", mapping, "{}"));

    AssessmentReport report = Assessment.of(source, ClusterVersion.parse("OS 2.19.1"), Selection.defaults());

    assertEquals(List.of("animals", "people"), report.indices());
    assertEquals("[\"animals\",\"people\"]", Json.toString(report.toJson().path("indices")));
    assertEquals(2, report.toJson().path("indices_assessed").asInt());
    assertEquals(List.of("watches"), Assessment.of(source, ClusterVersion.parse("OS 2.19.1"),
        Selection.ofIndices(List.of("watches"))).indices(), "an allowlist chooses a system index it names");
  }
}
