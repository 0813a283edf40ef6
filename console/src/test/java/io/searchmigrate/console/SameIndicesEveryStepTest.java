package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.snapshot.blob.Repositories;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import io.searchmigrate.testkit.TestClusters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every step picks the same indices from the same snapshot (issue 7). A real Elasticsearch 7.10.2 source holds two
 * user indices and four that the default rule skips (ILM history, Watcher, Search Guard, dot-prefixed), each with
 * documents; one snapshot holds exactly these six. Then {@code metadata evaluate}, {@code backfill},
 * {@code snapshot dump} and {@code assess} run against that snapshot through the console, and each must choose the
 * same indices: by default, with an allowlist that names a system index, and, for an allowlist entry that matches
 * nothing, none at all with one and the same error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SameIndicesEveryStepTest {
  private static final String SNAPSHOT = "same-indices";
  private static final String REPOSITORY_NAME = "same_indices";
  private static final List<String> USER_INDICES = List.of("sel_orders", "sel_logs-2024");
  /** One for each kind of name the default rule skips: ilm-history-*, watches, searchguard, dot-prefixed. */
  private static final List<String> SYSTEM_INDICES = List.of("ilm-history-1-000001", "watches", "searchguard", ".sel_hidden");
  private static final List<String> ALL = Stream.concat(USER_INDICES.stream(), SYSTEM_INDICES.stream()).toList();

  @TempDir
  Path temp;

  private LocalCluster source;
  private SourceWorkload workload;
  private Path repository;
  private ClusterClient target;

  @BeforeAll
  void snapshotUserAndSystemIndices() throws IOException {
    source = TestClusters.elasticsearch("7.10.2");
    target = ClusterClient.connect(TestClusters.opensearchWithModules("2.19.1").endpoint());
    workload = new SourceWorkload(ClusterClient.connect(source.endpoint()));
    ObjectNode mapping = Json.object();
    mapping.putObject("_doc").putObject("properties").putObject("title").put("type", "keyword");
    for (String index : ALL) {
      workload.createIndex(index, 1, mapping, null);
      Map<String, JsonNode> docs = new LinkedHashMap<>();
      docs.put(index + "-1", Json.object().put("title", "first of " + index));
      docs.put(index + "-2", Json.object().put("title", "second of " + index));
      workload.bulk(index, "_doc", docs, null);
      workload.refresh(index);
    }
    for (String index : ALL) {
      assertEquals(workload.expected().get(index), SourceWorkload.documents(workload.client, index), "source holds " + index);
    }

    repository = source.pathRepo().resolve("same-indices-" + UUID.randomUUID());
    ConsoleRun snapshot = ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo-path", repository.toString(),
        "--repo-name", REPOSITORY_NAME, "--snapshot", SNAPSHOT, "--indices", String.join(",", ALL), "--wait");
    assertEquals(0, snapshot.exitCode, snapshot::toString);
    assertTrue(snapshot.out.contains(SNAPSHOT + ": SUCCESS, shards 6/6 done (0 failed)"), snapshot::toString);
    // the snapshot holds exactly the six, so whatever a step leaves out, the selection rule left out
    try (SnapshotRepository repo = SnapshotRepository.open(Repositories.open(repository.toString()))) {
      assertEquals(new TreeSet<>(ALL), new TreeSet<>(repo.indices(repo.snapshot(SNAPSHOT))));
    }
  }

  @AfterAll
  void removeWhatThisTestCreated() {
    // the source and target are shared with other tests, which must not meet these indices
    for (String index : ALL) {
      workload.client.delete("/" + ClusterClient.segment(index));
    }
    workload.client.delete("/_snapshot/" + REPOSITORY_NAME);
    cleanTarget();
  }

  @Test
  void byDefaultEveryStepChoosesTheUserIndicesOnly() throws IOException {
    assertEveryStepChooses(List.of(), List.of("sel_logs-2024", "sel_orders"));
  }

  @Test
  void anAllowlistChoosesExactlyWhatItNamesInEveryStepSystemIndexIncluded() throws IOException {
    assertEveryStepChooses(List.of("--indices", "watches,sel_orders"), List.of("sel_orders", "watches"));
  }

  @Test
  void anAllowlistEntryMatchingNothingStopsEveryStepWithTheSameError() {
    cleanTarget();
    String expected = "error: no index 'nosuch' in snapshot '" + SNAPSHOT + "'; it holds "
        + "[.sel_hidden, ilm-history-1-000001, searchguard, sel_logs-2024, sel_orders, watches]";
    Map<String, ConsoleRun> runs = new TreeMap<>();
    runs.put("metadata evaluate", ConsoleRun.of("metadata", "evaluate", "--repo", repository.toString(), "--snapshot", SNAPSHOT,
        "--target", TestTargets.url(), "--output", "json", "--indices", "nosuch"));
    runs.put("backfill", ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", SNAPSHOT,
        "--target", TestTargets.url(), "--dead-letter", temp.resolve("nosuch.ndjson").toString(), "--indices", "nosuch"));
    runs.put("snapshot dump", ConsoleRun.of("snapshot", "dump", "--repo", repository.toString(), "--snapshot", SNAPSHOT,
        "--indices", "nosuch"));
    runs.put("assess", ConsoleRun.of("assess", "--repo", repository.toString(), "--snapshot", SNAPSHOT,
        "--target-version", "OS 2.19.1", "--output", "json", "--indices", "nosuch"));
    runs.forEach((step, run) -> {
      assertEquals(Migrate.USER_ERROR, run.exitCode, () -> step + ": " + run);
      assertEquals(List.of(expected), run.err.lines().filter(l -> l.startsWith("error:")).toList(), () -> step + ": " + run);
      assertEquals("", run.out, () -> step + " reports nothing: " + run);
    });
    assertEquals(Set.of(), onTarget(), "backfill created no index");
  }

  /** Runs the four steps against the snapshot with the same index flags; each must choose exactly {@code expected}. */
  private void assertEveryStepChooses(List<String> indicesFlag, List<String> expected) throws IOException {
    Set<String> left = new TreeSet<>(ALL);
    left.removeAll(expected);

    // metadata evaluate: the indices it would create, and every other index accounted for as excluded
    ConsoleRun metadata = run(indicesFlag, "metadata", "evaluate", "--repo", repository.toString(), "--snapshot", SNAPSHOT,
        "--target", TestTargets.url(), "--output", "json");
    assertEquals(0, metadata.exitCode, metadata::toString);
    JsonNode report = Json.parse(metadata.out);
    List<String> evaluated = new ArrayList<>();
    for (JsonNode item : report.path("items")) {
      if (item.path("kind").asText().equals("index")) {
        evaluated.add(item.path("source_name").asText(item.path("name").asText()));
      }
    }
    assertEquals(expected, evaluated, "metadata evaluate");
    List<String> excluded = new ArrayList<>();
    for (JsonNode item : report.path("excluded")) {
      String what = item.path("item").asText();
      if (what.startsWith("index '")) {
        excluded.add(what.substring("index '".length(), what.length() - 1));
        assertEquals(indicesFlag.isEmpty() ? "system index (skipped unless allowlisted)" : "not in the index allowlist",
            item.path("reason").asText(), what);
      }
    }
    assertEquals(List.copyOf(left), excluded, "metadata evaluate excludes the rest");

    // backfill: the indices in its account, the indices on the target afterwards, and their documents
    cleanTarget();
    ConsoleRun backfill = run(indicesFlag, "backfill", "--repo", repository.toString(), "--snapshot", SNAPSHOT,
        "--target", TestTargets.url(), "--dead-letter", temp.resolve("dead-letters.ndjson").toString());
    assertEquals(0, backfill.exitCode, backfill::toString);
    assertEquals(expected, backfillRows(backfill.out), "backfill");
    assertTrue(backfill.err.contains("backfilling " + expected.size() + " index(es): " + expected), backfill::toString);
    assertEquals(new TreeSet<>(expected), onTarget(), "backfill wrote these indices and no other");
    for (String index : expected) {
      assertEquals(workload.expected().get(index), SourceWorkload.documents(target, index), "backfilled " + index);
    }
    cleanTarget();

    // snapshot dump: the indices of its lines, and exactly their documents
    ConsoleRun dump = run(indicesFlag, "snapshot", "dump", "--repo", repository.toString(), "--snapshot", SNAPSHOT);
    assertEquals(0, dump.exitCode, dump::toString);
    List<String> dumpedIndices = dump.out.lines().map(l -> Json.parse(l).path("index").asText()).distinct().toList();
    assertEquals(expected, dumpedIndices, "snapshot dump");
    Set<String> expectedLines = new TreeSet<>();
    for (String index : expected) {
      workload.expected().get(index).forEach((id, doc) ->
          expectedLines.add(Json.toString(Json.object().put("index", index).put("id", id).set("source", doc))));
    }
    assertEquals(expectedLines, dump.out.lines().collect(Collectors.toCollection(TreeSet::new)), "snapshot dump documents");

    // assess: the indices its report says it assessed
    ConsoleRun assess = run(indicesFlag, "assess", "--repo", repository.toString(), "--snapshot", SNAPSHOT,
        "--target-version", "OS 2.19.1", "--output", "json");
    assertEquals(0, assess.exitCode, assess::toString);
    JsonNode assessment = Json.parse(assess.out);
    List<String> assessed = new ArrayList<>();
    assessment.path("indices").forEach(i -> assessed.add(i.asText()));
    assertEquals(expected, assessed, "assess");
    assertEquals(expected.size(), assessment.path("indices_assessed").asInt(-1), assess::toString);
  }

  private static ConsoleRun run(List<String> indicesFlag, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(indicesFlag);
    return ConsoleRun.of(all.toArray(String[]::new));
  }

  /** The index column of backfill's final table, between its header and the TOTAL row. */
  private static List<String> backfillRows(String out) {
    List<String> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : out.lines().toList()) {
      String name = line.strip().split("\\s+")[0];
      if (name.equals("INDEX")) {
        inTable = true;
      } else if (name.equals("TOTAL")) {
        return rows;
      } else if (inTable) {
        rows.add(name);
      }
    }
    throw new AssertionError("no backfill table in:\n" + out);
  }

  /** Which of this test's index names exist on the target. */
  private Set<String> onTarget() {
    return ALL.stream().filter(i -> target.head("/" + ClusterClient.segment(i)).status() == 200)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private void cleanTarget() {
    for (String index : ALL) {
      target.delete("/" + ClusterClient.segment(index));
    }
  }
}
