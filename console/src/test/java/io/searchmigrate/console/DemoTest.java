package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.launcher.LocalProxies;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./migrate demo} as a new user runs it: real Elasticsearch 7.10.2 and OpenSearch 2.19.1 it provisions, a real
 * Kafka broker and capture proxy it starts, every step of the journey; the target ends equal to the source, document
 * counts index by index and validation's verdict, and nothing the demo started is left running.
 */
class DemoTest {
  private static final List<String> STEPS = List.of("clusters", "sample data into the source", "assess", "capture",
      "snapshot of the source while the clients keep writing", "metadata", "backfill", "replay", "validate", "switchover",
      "reset", "clusters stopped");
  private static final Pattern COUNT_ROW = Pattern.compile("(?m)^  (\\S+)\\s+(\\d+)\\s+(\\d+)  (equal|DIFFERENT)$");

  @Test
  void theWholeJourneyLeavesTheTargetEqualToTheSourceAndNothingRunning() throws Exception {
    ConsoleRun demo = ConsoleRun.of("demo", "--docs", "3000");
    assertEquals(0, demo.exitCode, demo::toString);

    int at = 0;
    for (int i = 0; i < STEPS.size(); i++) {
      String header = "== " + (i + 1) + "/" + STEPS.size() + " " + STEPS.get(i);
      int found = demo.out.indexOf(header, at);
      assertTrue(found >= at, "step '" + header + "' in order in:\n" + demo.out);
      at = found;
    }
    // each command the demo ran is printed as the user would type it, and each step's result after it
    for (String command : List.of("assess", "kafka start-local", "proxy start", "snapshot create", "metadata migrate", "backfill",
        "replay run", "validate clusters", "proxy switch --name demo-proxy --to target", "reset --yes")) {
      assertTrue(demo.out.contains("$ ./migrate " + command), command + " in:\n" + demo.out);
    }
    assertEquals(STEPS.size(), demo.out.lines().filter(l -> l.startsWith("-> ")).count(), "one result per step:\n" + demo.out);
    // the switchover moved the clients: a write through the proxy after it is on the target only (checked by the demo)
    assertTrue(demo.out.contains("a write through it landed on the target only"), demo.out);

    // exact counts, equal on both sides, for the sample indices and the one the clients wrote to through the proxy
    Map<String, long[]> counts = new TreeMap<>();
    Matcher row = COUNT_ROW.matcher(demo.out);
    while (row.find()) {
      counts.put(row.group(1), new long[] {Long.parseLong(row.group(2)), Long.parseLong(row.group(3))});
    }
    assertEquals(List.of(DemoCommand.LIVE_INDEX, SampleData.LOGS, SampleData.PRODUCTS, SampleData.USERS),
        List.copyOf(counts.keySet()), demo.out);
    counts.forEach((index, c) -> {
      assertTrue(c[0] > 0, index + " holds documents");
      assertEquals(c[0], c[1], index + ": the target holds as many documents as the source");
    });
    Matcher loaded = Pattern.compile("-> loaded \\{sample_logs=(\\d+), sample_products=(\\d+), sample_users=(\\d+)}")
        .matcher(demo.out);
    assertTrue(loaded.find(), demo.out);
    assertEquals(Long.parseLong(loaded.group(1)), counts.get(SampleData.LOGS)[0], "the source still holds what was loaded");
    assertEquals(Long.parseLong(loaded.group(2)), counts.get(SampleData.PRODUCTS)[0]);
    assertEquals(Long.parseLong(loaded.group(3)), counts.get(SampleData.USERS)[0]);
    assertTrue(demo.out.contains("verdict: PASS"), demo.out);
    assertTrue(demo.out.contains("-> validation PASSED"), demo.out);
    assertTrue(demo.out.contains("drained: every captured request was answered and committed"), demo.out);
    assertTrue(demo.out.contains("removed snapshot '" + DemoCommand.SNAPSHOT + "'"), demo.out);
    assertTrue(demo.out.contains("removed topic '" + DemoCommand.TOPIC + "'"), demo.out);

    // not a terminal here: each long step wrote plain progress lines
    for (String label : List.of("[snapshot ", "[backfill ", "[replay ", "[validate ")) {
      assertTrue(demo.err.lines().anyMatch(l -> l.startsWith(label) && l.contains("/s)")), label + " progress in:\n" + demo.err);
    }
    assertFalse(demo.err.contains("\r"), "no carriage returns in a log");

    // the reports stay; nothing the demo started runs any more
    Matcher kept = Pattern.compile("reports kept in (\\S+)").matcher(demo.out);
    assertTrue(kept.find(), demo.out);
    Path reports = Path.of(kept.group(1));
    assertTrue(Files.exists(reports.resolve("validation.html")), "the validation report is kept");
    assertTrue(Files.isDirectory(reports.resolve("tuples")), "the replay's tuples are kept");
    assertFalse(Files.exists(reports.getParent().resolve("state")), "the demo's state folder is removed");
    assertTrue(demo.out.contains("-> left running: nothing"), demo.out);
    PrintWriter quiet = new PrintWriter(new StringWriter());
    for (String name : List.of(DemoCommand.SOURCE_NAME, DemoCommand.TARGET_NAME)) {
      assertFalse(ClustersCommand.clusters(quiet).find(name).map(LocalCluster::isRunning).orElse(false), name + " stopped");
    }
    assertFalse(ProxyCommand.proxies(quiet).find(DemoCommand.PROXY_NAME).map(LocalProxies.Proxy::isRunning).orElse(false));
    assertFalse(KafkaCommand.launcher(quiet).find(DemoCommand.KAFKA_NAME).map(LocalKafka.Broker::isRunning).orElse(false));
  }
}
