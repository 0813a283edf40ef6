package io.searchmigrate.metadata;

import static io.searchmigrate.metadata.TestItems.NOT_FOUND;
import static io.searchmigrate.metadata.TestItems.requestLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.ScriptedHttpServer.Reply;
import io.searchmigrate.transforms.metadata.TransformedItem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After migrate, what the target holds is compared with what was sent: every difference in fields, analysis and
 * aliases is reported, and nothing the target merely adds is. (Target answers are scripted in OpenSearch's shapes;
 * the console's MetadataValidationTest runs the same against real clusters.)
 */
class MetadataValidationTest {
  private static final TransformedItem ARTICLES = TestItems.transformed(TestItems.index("articles",
      "{\"index.number_of_shards\":\"1\",\"index.analysis.analyzer.my_std.type\":\"standard\","
          + "\"index.analysis.analyzer.my_std.stopwords\":[\"the\"]}",
      "{\"properties\":{\"title\":{\"type\":\"text\",\"analyzer\":\"my_std\",\"fields\":{\"raw\":{\"type\":\"keyword\"}}},"
          + "\"views\":{\"type\":\"long\"},\"author\":{\"properties\":{\"name\":{\"type\":\"keyword\"}}}}}",
      "{\"recent\":{\"filter\":{\"range\":{\"views\":{\"gte\":10}}}},\"routed\":{\"index_routing\":\"1\",\"search_routing\":\"1\"}}"));

  /** ARTICLES as OpenSearch answers GET /articles?flat_settings=true after creating it, with what it adds itself. */
  private static final String ARTICLES_ON_TARGET = "{\"articles\":{"
      + "\"aliases\":{\"recent\":{\"filter\":{\"range\":{\"views\":{\"gte\":10}}}},\"routed\":{\"index_routing\":\"1\",\"search_routing\":\"1\"}},"
      + "\"mappings\":{\"properties\":{\"author\":{\"properties\":{\"name\":{\"type\":\"keyword\"}}},"
      + "\"title\":{\"type\":\"text\",\"analyzer\":\"my_std\",\"fields\":{\"raw\":{\"type\":\"keyword\"}}},\"views\":{\"type\":\"long\"}}},"
      + "\"settings\":{\"index.analysis.analyzer.my_std.stopwords\":[\"the\"],\"index.analysis.analyzer.my_std.type\":\"standard\","
      + "\"index.creation_date\":\"1700000000000\",\"index.number_of_replicas\":\"1\",\"index.number_of_shards\":\"1\","
      + "\"index.provided_name\":\"articles\",\"index.uuid\":\"abc\",\"index.version.created\":\"136407827\"}}}";

  @Test
  void whatTheTargetHoldsAsSentGivesNoDifference() {
    MigrationReport report = report(ItemResult.Outcome.CREATED, ARTICLES);
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, r) -> Reply.json(200, ARTICLES_ON_TARGET))) {
      new MetadataValidation(target.client()).validate(report);

      assertEquals(List.of("GET /articles?flat_settings=true"), requestLines(target));
    }
    assertEquals(List.of(), report.items().get(0).differences);
  }

  @Test
  void everyDifferenceInFieldsAnalysisAndAliasesIsReported() {
    String changed = edit(ARTICLES_ON_TARGET,
        "\"raw\":{\"type\":\"keyword\"}", "\"raw\":{\"type\":\"text\"}",
        ",\"views\":{\"type\":\"long\"}", "",
        "\"title\":{\"type\":\"text\",\"analyzer\":\"my_std\",", "\"title\":{\"type\":\"text\",",
        "stopwords\":[\"the\"]", "stopwords\":[\"the\",\"a\"]",
        "\"routed\":{\"index_routing\":\"1\"", "\"routed\":{\"index_routing\":\"2\"",
        "\"recent\":{\"filter\":{\"range\":{\"views\":{\"gte\":10}}}},", "");
    MigrationReport report = report(ItemResult.Outcome.SKIPPED, ARTICLES);
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, r) -> Reply.json(200, changed))) {
      new MetadataValidation(target.client()).validate(report);
    }

    assertEquals(List.of(
        "field 'title' analyzer: unset on the target, my_std expected",
        "field 'title.raw' type: text on the target, keyword expected",
        "field 'views' is missing on the target",
        "setting index.analysis.analyzer.my_std.stopwords: [\"the\",\"a\"] on the target, [\"the\"] expected",
        "alias 'recent' is missing on the target",
        "alias 'routed' index_routing: \"2\" on the target, \"1\" expected"), report.items().get(0).differences);
    assertEquals(6, report.issues());
  }

  @Test
  void templatesAreComparedInTheShapeOfTheirApi() {
    TransformedItem legacy = TestItems.transformed(TestItems.template(TemplateMetadata.Kind.LEGACY, "logs_tpl",
        "{\"index_patterns\":[\"logs-*\"],\"mappings\":{\"properties\":{\"msg\":{\"type\":\"text\"}}}}"));
    TransformedItem composable = TestItems.transformed(TestItems.template(TemplateMetadata.Kind.INDEX, "events",
        "{\"index_patterns\":[\"events-*\"],\"template\":{\"mappings\":{\"properties\":{\"at\":{\"type\":\"date\"}}}}}"));
    MigrationReport report = report(ItemResult.Outcome.CREATED, legacy, composable);
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, r) -> switch (r.pathAndQuery()) {
      case "/_template/logs_tpl?flat_settings=true" -> Reply.json(200, "{\"logs_tpl\":{\"order\":0,\"index_patterns\":[\"logs-*\","
          + "\"other-*\"],\"settings\":{},\"mappings\":{\"properties\":{\"msg\":{\"type\":\"text\"}}},\"aliases\":{}}}");
      case "/_index_template/events?flat_settings=true" -> Reply.json(200, "{\"index_templates\":[{\"name\":\"events\","
          + "\"index_template\":{\"index_patterns\":[\"events-*\"],\"template\":{\"mappings\":{\"properties\":{\"at\":"
          + "{\"type\":\"date_nanos\"}}}},\"composed_of\":[]}}]}");
      default -> NOT_FOUND;
    })) {
      new MetadataValidation(target.client()).validate(report);
    }

    assertEquals(List.of("index patterns [\"logs-*\",\"other-*\"] on the target, [\"logs-*\"] expected"), report.items().get(0).differences);
    assertEquals(List.of("field 'at' type: date_nanos on the target, date expected"), report.items().get(1).differences);
  }

  @Test
  void anItemMissingAfterTheMigrationIsReportedAndRefusedItemsAreNotLookedFor() {
    TransformedItem refused = TestItems.transformed(TestItems.index("refused", "{\"index.number_of_shards\":\"1\"}", "{}", "{}"));
    MigrationReport report = report(ItemResult.Outcome.CREATED, ARTICLES);
    report.add(MetadataMigration.result(ItemResult.Section.INDEX, refused, ItemResult.Outcome.FAILED, "the target refused it"));
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, r) -> Reply.json(404,
        "{\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index [articles]\"},\"status\":404}"))) {
      new MetadataValidation(target.client()).validate(report);

      assertEquals(List.of("GET /articles?flat_settings=true"), requestLines(target));
    }
    assertEquals(List.of("not found on the target after the migration"), report.items().get(0).differences);
    assertEquals(List.of(), report.items().get(1).differences);
  }

  /** {@code text} with each (from, to) pair replaced; a {@code from} that is not there fails the test. */
  private static String edit(String text, String... fromTo) {
    for (int i = 0; i < fromTo.length; i += 2) {
      assertTrue(text.contains(fromTo[i]), "the target's answer has " + fromTo[i]);
      text = text.replace(fromTo[i], fromTo[i + 1]);
    }
    return text;
  }

  private static MigrationReport report(ItemResult.Outcome outcome, TransformedItem... items) {
    MigrationReport report = new MigrationReport("migrate", "test source", "test target");
    for (TransformedItem item : items) {
      ItemResult.Section section = switch (item.kind()) {
        case INDEX -> ItemResult.Section.INDEX;
        case LEGACY_TEMPLATE -> ItemResult.Section.LEGACY_TEMPLATE;
        case INDEX_TEMPLATE -> ItemResult.Section.INDEX_TEMPLATE;
        case COMPONENT_TEMPLATE -> ItemResult.Section.COMPONENT_TEMPLATE;
      };
      report.add(MetadataMigration.result(section, item, outcome, null));
    }
    return report;
  }
}
