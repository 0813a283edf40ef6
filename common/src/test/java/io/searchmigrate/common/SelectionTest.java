package io.searchmigrate.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.metadata.TemplateMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one selection rule every step shares: what is chosen by default, what allowlists choose, and what is refused. */
class SelectionTest {
  /** What a typical 7.x source holds, in the hash-map order a source lists it in. */
  private static final List<String> SOURCE = List.of("orders", ".kibana_1", "logs-2024", "watches", "ilm-history-2-000001",
      "customers", ".security-7", "watch_history_3-2024", "orders-archive", "searchguard", "sg7-auditlog");

  @Test
  void byDefaultEveryIndexButTheSourcesOwnMachineryIsChosenInNameOrder() {
    Selection selection = Selection.defaults();

    assertEquals(List.of("customers", "logs-2024", "orders", "orders-archive"), selection.indices(SOURCE, "snapshot 'snap-1'"));
    assertTrue(selection.allIndices());
    assertEquals("all indices but system ones", selection.toString());
    assertEquals("system index (skipped unless allowlisted)", selection.indexExclusion(".kibana_1"));
    assertEquals("system index (skipped unless allowlisted)", selection.indexExclusion("watches"));
    assertNull(selection.indexExclusion("orders"));
  }

  @Test
  void anAllowlistChoosesExactlyWhatItNamesSystemIndicesIncluded() {
    Selection selection = Selection.ofIndices(List.of("orders*", ".kibana_1", "regex:log.-\\d+"));

    assertEquals(List.of(".kibana_1", "logs-2024", "orders", "orders-archive"), selection.indices(SOURCE, "snapshot 'snap-1'"));
    assertEquals("not in the index allowlist", selection.indexExclusion("customers"));
    assertEquals("not in the index allowlist", selection.indexExclusion(".security-7"));
    assertNull(selection.indexExclusion(".kibana_1"));
    assertEquals("indices [orders*, .kibana_1, regex:log.-\\d+]", selection.toString());
  }

  @Test
  void anAllowlistEntryThatMatchesNothingIsAnErrorListingWhatTheSourceHolds() {
    Selection selection = Selection.ofIndices(List.of("orders", "ordrs", "missing-*"));

    UserError e = assertThrows(UserError.class, () -> selection.indices(List.of("orders", "b", "a"), "snapshot 'snap-1'"));

    assertEquals("no index 'ordrs', 'missing-*' in snapshot 'snap-1'; it holds [a, b, orders]", e.getMessage());
  }

  @Test
  void blankAllowlistEntriesAreIgnoredAndBadRegularExpressionsRefused() {
    assertTrue(Selection.ofIndices(List.of("", "  ")).allIndices());

    UserError e = assertThrows(UserError.class, () -> Selection.ofIndices(List.of("regex:orders[")));
    assertTrue(e.getMessage().startsWith("'regex:orders[' is not a valid regular expression: "), e.getMessage());
  }

  @Test
  void byDefaultStackTemplatesAndTemplatesForSystemIndicesAreLeftOut() {
    Selection selection = Selection.defaults();

    assertNull(selection.templateExclusion(template(TemplateMetadata.Kind.LEGACY, "orders", "orders-*")));
    assertNull(selection.templateExclusion(template(TemplateMetadata.Kind.INDEX, "logs-app", "logs-app-*")));
    assertNull(selection.templateExclusion(template(TemplateMetadata.Kind.COMPONENT, "base")));
    for (String stack : List.of("logs", "metrics", ".monitoring-es", "ilm-history", "logs@mappings", "logs-settings",
        "kibana_index_template:.kibana", "security-index-template", "ecs@dynamic_templates", "apm-source-map")) {
      assertEquals("system or stack template (skipped unless allowlisted)",
          selection.templateExclusion(template(TemplateMetadata.Kind.INDEX, stack, "x-*")), stack);
    }
    assertEquals("template for system indices only ([.tasks, .tasks-*])",
        selection.templateExclusion(template(TemplateMetadata.Kind.LEGACY, "tasks_index", ".tasks", ".tasks-*")));
    assertNull(selection.templateExclusion(template(TemplateMetadata.Kind.LEGACY, "mixed", ".tasks", "tasks-*")),
        "a template that also matches user indices is the user's");
  }

  @Test
  void templateAllowlistsChooseByKindStackTemplatesIncluded() {
    // the index template allowlist covers legacy and composable index templates; components have their own
    Selection selection = Selection.of(List.of(), List.of("logs", "orders*"), List.of("base"));

    assertNull(selection.templateExclusion(template(TemplateMetadata.Kind.LEGACY, "logs", "logs-*")), "allowlisted, stack or not");
    assertNull(selection.templateExclusion(template(TemplateMetadata.Kind.INDEX, "orders-v2", "orders-*")));
    assertEquals("not in the index template allowlist",
        selection.templateExclusion(template(TemplateMetadata.Kind.LEGACY, "customers", "customers-*")));
    assertNull(selection.templateExclusion(template(TemplateMetadata.Kind.COMPONENT, "base")));
    assertEquals("not in the component template allowlist",
        selection.templateExclusion(template(TemplateMetadata.Kind.COMPONENT, "orders-settings")));
    assertTrue(selection.allIndices(), "template allowlists leave the indices at their default");
  }

  private static TemplateMetadata template(TemplateMetadata.Kind kind, String name, String... patterns) {
    return new TemplateMetadata(kind, name, List.of(patterns), null, null, List.of(), null, Map.of(), null, null);
  }
}
