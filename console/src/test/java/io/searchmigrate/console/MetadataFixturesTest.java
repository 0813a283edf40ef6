package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Evaluate on the fixture snapshots lists exactly the templates, indices and aliases EXPECTED.md describes, with the
 * system and X-Pack templates excluded by default. (The target is only asked whether items exist.)
 */
class MetadataFixturesTest {
  /** The target is shared with classes that backfill these fixtures: evaluate against a target without them. */
  @BeforeEach
  void withoutTheFixturesIndices() {
    ClusterClient target = ClusterClient.connect(ClusterEndpoint.of(TestTargets.url()));
    for (String index : List.of("posts_2023_02_25", "posts_2024_01_01", "test_updates_deletes")) {
      target.delete("/" + index);
    }
  }

  private static Map<String, String> evaluate(String fixture, String snapshot) {
    ConsoleRun run = ConsoleRun.of("metadata", "evaluate", "--repo", Fixtures.snapshot(fixture).toString(), "--snapshot", snapshot,
        "--target", TestTargets.url(), "--output", "json");
    assertEquals(0, run.exitCode, run::toString);
    return new TreeMap<>(MetadataEndToEndTest.outcomes(run));
  }

  private static Map<String, String> wouldCreate(String... items) {
    Map<String, String> map = new TreeMap<>();
    for (String item : items) {
      map.put(item, "would_create");
    }
    return map;
  }

  @Test
  void elasticsearch710Single() {
    assertEquals(wouldCreate("component_template posts_template", "index_template posts_index_template",
        "index posts_2023_02_25", "index posts_2024_01_01", "alias current_posts→posts_2023_02_25",
        "alias current_posts→posts_2024_01_01", "alias another_alias→posts_2024_01_01"),
        evaluate("ES_7_10_Single", "global_state_snapshot"));
  }

  @Test
  void elasticsearch68Single() {
    assertEquals(wouldCreate("legacy_template posts_index_template", "index posts_2023_02_25", "index posts_2024_01_01",
        "alias posts_2023_02_25-alias→posts_2023_02_25", "alias alias1→posts_2023_02_25", "alias alias2→posts_2023_02_25",
        "alias posts_2024_01_01-alias→posts_2024_01_01", "alias alias1→posts_2024_01_01", "alias alias2→posts_2024_01_01",
        "alias another_alias→posts_2024_01_01"), evaluate("ES_6_8_Single", "global_state_snapshot"));
  }

  @Test
  void updatesAndDeletesFixturesHoldOneIndexAndOnlySystemTemplates() {
    for (String fixture : new String[] {"ES_5_6_Updates_Deletes", "ES_6_8_Updates_Deletes_Native", "ES_7_10_Updates_Deletes_w_Soft",
        "ES_7_10_Updates_Deletes_wo_Soft"}) {
      assertEquals(wouldCreate("index test_updates_deletes"), evaluate(fixture, "rfs_snapshot"), fixture);
    }
  }

  @Test
  void systemTemplatesAreListedAsExcludedWithTheReason() {
    ConsoleRun run = ConsoleRun.of("metadata", "evaluate", "--repo", Fixtures.snapshot("ES_5_6_Updates_Deletes").toString(),
        "--snapshot", "rfs_snapshot", "--target", TestTargets.url());
    assertTrue(run.out.contains("Excluded (13; name them in an allowlist to include them)"), run::toString);
    assertTrue(run.out.contains("legacy template 'watches': system or stack template (skipped unless allowlisted)"), run::toString);
    assertTrue(run.out.contains("WARNING: merged mapping types [type1, type2] into one mapping"), run::toString);
  }
}
