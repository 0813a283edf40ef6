package io.searchmigrate.metadata;

import static io.searchmigrate.metadata.TestItems.FOUND;
import static io.searchmigrate.metadata.TestItems.NOT_FOUND;
import static io.searchmigrate.metadata.TestItems.OPENSEARCH_ROOT;
import static io.searchmigrate.metadata.TestItems.requestLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.metadata.TestItems.InMemorySource;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Evaluate picks the items the selection names and says, without writing anything, what migrate would do with
 * each, in creation order; what it leaves out is listed with the reason.
 */
class MetadataMigrationTest {
  /** A source listing its items in no particular order, as sources do. */
  private static final InMemorySource SOURCE = new InMemorySource()
      .with(TestItems.template(TemplateMetadata.Kind.INDEX, "orders_it", "{\"index_patterns\":[\"orders-*\"],\"composed_of\":[\"base\"],"
          + "\"template\":{}}"))
      .with(TestItems.template(TemplateMetadata.Kind.LEGACY, ".monitoring-es", "{\"index_patterns\":[\".monitoring-es-*\"]}"))
      .with(TestItems.template(TemplateMetadata.Kind.COMPONENT, "base", "{\"template\":{\"settings\":{\"number_of_shards\":1}}}"))
      .with(TestItems.template(TemplateMetadata.Kind.LEGACY, "logs", "{\"index_patterns\":[\"logs-*-*\"]}"))
      .with(TestItems.template(TemplateMetadata.Kind.LEGACY, "tasks_tpl", "{\"index_patterns\":[\".tasks\"]}"))
      .with(TestItems.template(TemplateMetadata.Kind.LEGACY, "orders_legacy", "{\"index_patterns\":[\"orders-*\"]}"))
      .with(TestItems.index("orders", "{\"index.number_of_shards\":\"1\"}", "{}", "{\"orders_current\":{}}"))
      .with(TestItems.index(".kibana_1", "{\"index.number_of_shards\":\"1\"}", "{}", "{\".kibana\":{}}"))
      .with(TestItems.index("Upper", "{\"index.number_of_shards\":\"1\"}", "{}", "{}"))
      .with(TestItems.index("customers", "{\"index.number_of_shards\":\"1\"}", "{}", "{\"b_alias\":{},\"a_alias\":{}}"));

  @Test
  void evaluateSaysWhatMigrateWouldDoWithTheDefaultSelectionAndWritesNothing() {
    try (ScriptedHttpServer target = target()) {
      MigrationReport report = run(target, Selection.defaults(), MetadataMigration.Mode.EVALUATE);

      assertEquals(List.of(
          "LEGACY_TEMPLATE orders_legacy: WOULD_CREATE",
          "COMPONENT_TEMPLATE base: WOULD_CREATE",
          "INDEX_TEMPLATE orders_it: WOULD_CREATE",
          "INDEX Upper: WOULD_FAIL (invalid index name on the target: must be lowercase)",
          "INDEX customers: SKIPPED (already on the target (would be left as it is))",
          "ALIAS a_alias from customers: SKIPPED",
          "ALIAS b_alias from customers: SKIPPED",
          "INDEX orders: WOULD_CREATE",
          "ALIAS orders_current from orders: WOULD_CREATE"), lines(report));
      assertEquals(Map.of(
          "index '.kibana_1'", "system index (skipped unless allowlisted)",
          "legacy template '.monitoring-es'", "system or stack template (skipped unless allowlisted)",
          "legacy template 'logs'", "system or stack template (skipped unless allowlisted)",
          "legacy template 'tasks_tpl'", "template for system indices only ([.tasks])"), report.excluded());
      assertEquals(List.of("index '.kibana_1'", "legacy template '.monitoring-es'", "legacy template 'logs'",
          "legacy template 'tasks_tpl'"), List.copyOf(report.excluded().keySet()), "excluded items are listed in name order");
      assertEquals(1, report.failures());
      assertTrue(target.requests().stream().allMatch(r -> r.method().equals("GET") || r.method().equals("HEAD")),
          "evaluate only reads the target: " + requestLines(target));
    }
  }

  @Test
  void allowlistsChooseExactlyWhatTheyNameSystemAndStackItemsIncluded() {
    try (ScriptedHttpServer target = target()) {
      MigrationReport report = run(target, Selection.of(List.of("orders", ".kibana_1"), List.of("logs"), List.of()),
          MetadataMigration.Mode.EVALUATE);

      assertEquals(List.of(
          "LEGACY_TEMPLATE logs: WOULD_CREATE",
          "COMPONENT_TEMPLATE base: WOULD_CREATE",
          "INDEX .kibana_1: WOULD_CREATE",
          "ALIAS .kibana from .kibana_1: WOULD_CREATE",
          "INDEX orders: WOULD_CREATE",
          "ALIAS orders_current from orders: WOULD_CREATE"), lines(report));
      assertEquals(Map.of(
          "index 'Upper'", "not in the index allowlist",
          "index 'customers'", "not in the index allowlist",
          "index template 'orders_it'", "not in the index template allowlist",
          "legacy template '.monitoring-es'", "not in the index template allowlist",
          "legacy template 'orders_legacy'", "not in the index template allowlist",
          "legacy template 'tasks_tpl'", "not in the index template allowlist"), report.excluded());
    }
  }

  @Test
  void anAllowlistEntryMatchingNoIndexStopsMigrateBeforeAnythingIsWritten() {
    try (ScriptedHttpServer target = target()) {
      UserError e = assertThrows(UserError.class, () -> run(target, Selection.ofIndices(List.of("orders", "ordrs")),
          MetadataMigration.Mode.MIGRATE));

      assertEquals("no index 'ordrs' in test source; it holds [.kibana_1, Upper, customers, orders]", e.getMessage());
      assertEquals(List.of(), requestLines(target), "not even the templates were created");
    }
  }

  /** An OpenSearch 2.19.1 that already has the index 'customers' and nothing else. */
  private static ScriptedHttpServer target() {
    return ScriptedHttpServer.start((n, r) -> switch (r.method() + " " + r.pathAndQuery()) {
      case "GET /" -> OPENSEARCH_ROOT;
      case "HEAD /customers" -> FOUND;
      default -> NOT_FOUND;
    });
  }

  private static MigrationReport run(ScriptedHttpServer target, Selection selection, MetadataMigration.Mode mode) {
    List<String> log = new ArrayList<>();
    return new MetadataMigration(SOURCE, target.client(), selection, MigrationOptions.defaults(), log::add).run(mode);
  }

  /** "SECTION name: OUTCOME (reason)" per item, aliases with the index they belong to. */
  private static List<String> lines(MigrationReport report) {
    return report.items().stream().map(i -> i.section + " " + i.name + (i.section == ItemResult.Section.ALIAS ? " from " + i.sourceName : "")
        + ": " + i.outcome + (i.reason == null ? "" : " (" + i.reason + ")")).toList();
  }
}
