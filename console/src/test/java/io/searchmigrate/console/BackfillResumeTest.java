package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.pipelines.backfill.ProgressLedger;
import io.searchmigrate.pipelines.backfill.TargetLedger;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.TestClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume: a {@code ./migrate backfill} (its own JVM) killed with SIGKILL midway through a real Elasticsearch 7.10.2
 * snapshot into real OpenSearch 2.19.1, slowed by a relay in front of the target; the same command run again skips the
 * slices its progress ledger holds, sends fewer documents than the snapshot has, and the target ends with exactly the
 * source's documents.
 */
class BackfillResumeTest {
  private static final String SNAPSHOT = "resume-snap";
  private static final String DOCS = "resume_docs";
  private static final int DOC_COUNT = 1_200;

  @TempDir
  Path temp;

  @Test
  void aBackfillKilledMidwayResumesAfterItsFinishedSlicesAndEndsWithExactlyTheSourcesDocuments() throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    SourceWorkload w = new SourceWorkload(ClusterClient.connect(source.endpoint()));
    Path repository = snapshotOfANewIndex(source, w, DOCS, DOC_COUNT, SNAPSHOT);
    LocalCluster target = TestClusters.opensearch("2.19.1");
    ClusterClient.connect(target.endpoint()).delete("/" + DOCS);
    AtomicBoolean slow = new AtomicBoolean(true);
    AtomicLong documentsSent = new AtomicLong();
    Path state = temp.resolve("state");
    try (ScriptedHttpServer gateway = slowGateway(target, slow, documentsSent)) {
      List<String> args = List.of("backfill", "--repo", repository.toString(), "--snapshot", SNAPSHOT, "--indices", DOCS,
          "--target", gateway.url(), "--batch-docs", "25", "--state", state.toString(), "--sliceSize=50",
          "--dead-letter", temp.resolve("dl.ndjson").toString());
      List<String> command = ownJvm(args);
      ProgressLedger ledger = ProgressLedger.at(state);
      // Ctrl-C (SIGINT and SIGTERM take the same way out of the JVM): it says what is recorded, the ledger whole lines
      Path stoppedLog = temp.resolve("stopped.log");
      interruptWhenSlicesAreDone(command, stoppedLog, ledger, 2, false);
      int recordedAtStop = ledger.finished().size();
      String stopped = BackfillUnderFaultsTest.read(stoppedLog);
      assertTrue(stopped.contains("stopped: " + recordedAtStop + " finished slice(s) are recorded in "
          + state.toAbsolutePath() + "; the same command resumes after them"), stopped);
      assertEquals(Files.readAllLines(state.resolve("slices.ndjson")).size(), ledger.entries().size(), "whole lines only");
      // then SIGKILL, which no hook sees: the ledger holds what was finished before it
      interruptWhenSlicesAreDone(command, temp.resolve("killed.log"), ledger, recordedAtStop + 2, true);
      int finishedBeforeKill = ledger.finished().size();
      String killed = BackfillUnderFaultsTest.read(temp.resolve("killed.log"));
      assertTrue(killed.contains("resuming: " + recordedAtStop + " slice(s) already done"), killed);
      assertTrue(ledger.total() < 0, "an interrupted run never got to record the total");

      slow.set(false);
      documentsSent.set(0);
      ConsoleRun second = ConsoleRun.of(args.toArray(String[]::new));
      assertEquals(0, second.exitCode, second::toString);
      assertTrue(second.err.contains("resuming: " + finishedBeforeKill + " slice(s) already done (" + state.toAbsolutePath()
          + ")"), second::toString);
      Matcher resumed = Pattern.compile("resumed: (\\d+) of (\\d+) slices were done by an earlier run").matcher(second.out);
      assertTrue(resumed.find(), second::toString);
      int total = Integer.parseInt(resumed.group(2));
      assertEquals(finishedBeforeKill, Integer.parseInt(resumed.group(1)));
      assertTrue(finishedBeforeKill < total, "the kill came before the end: " + finishedBeforeKill + " of " + total);
      assertTrue(documentsSent.get() < DOC_COUNT, "fewer documents sent the second time: " + documentsSent.get());
      assertTrue(second.out.contains("result: OK, every document read was written"), second::toString);

      List<ProgressLedger.Entry> entries = ledger.entries();
      Set<String> keys = new HashSet<>();
      entries.forEach(entry -> assertTrue(keys.add(entry.key()), "each slice recorded once: " + entry.key()));
      assertEquals(total, entries.size());
      assertEquals(total, ledger.total());
      assertEquals(DOC_COUNT, entries.stream().mapToLong(ProgressLedger.Entry::documents).sum());

      ConsoleRun status = ConsoleRun.of("backfill", "status", "--state", state.toString());
      assertEquals(0, status.exitCode, status::toString);
      assertTrue(status.out.matches("(?s).*state\\s+" + SNAPSHOT + "\\s+" + total + " of " + total + "\\s+" + DOC_COUNT
          + "\\s+20\\d\\d-.*"), status::toString);

      ConsoleRun again = ConsoleRun.of(args.toArray(String[]::new));
      assertEquals(0, again.exitCode, again::toString);
      assertTrue(again.err.contains("the last run of this backfill delivered every document: starting over"), again::toString);
      assertTrue(!again.out.contains("resumed:"), again::toString);
    }
    assertEquals(w.expected().get(DOCS), SourceWorkload.documents(ClusterClient.connect(target.endpoint()), DOCS),
        "exactly the source's documents, each once");
  }
  /**
   * {@code --state target}: the ledger is the hidden index .migrate-backfill-ledger on the target. A backfill killed
   * with SIGKILL midway leaves its finished slices there and claims that no process holds any more; the same command
   * takes those claims over, reads fewer slices than there are and ends with exactly the source's documents; backfill
   * status --state target shows the ledger.
   */
  @Test
  void withTheLedgerOnTheTargetAKilledBackfillResumesAfterItsFinishedSlices() throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    String index = "resume_on_target";
    String snapshotName = "resume-target-" + Long.toString(System.nanoTime(), 36);
    SourceWorkload w = new SourceWorkload(ClusterClient.connect(source.endpoint()));
    Path repository = snapshotOfANewIndex(source, w, index, 600, snapshotName);
    LocalCluster target = TestClusters.opensearch("2.19.1");
    ClusterClient.connect(target.endpoint()).delete("/" + index);
    AtomicBoolean slow = new AtomicBoolean(true);
    AtomicLong documentsSent = new AtomicLong();
    try (ScriptedHttpServer gateway = slowGateway(target, slow, documentsSent)) {
      List<String> args = List.of("backfill", "--repo", repository.toString(), "--snapshot", snapshotName, "--indices", index,
          "--target", gateway.url(), "--batch-docs", "25", "--state", "target", "--sliceSize=50",
          "--dead-letter", temp.resolve("dl.ndjson").toString());
      List<String> command = ownJvm(args);
      IntSupplier finished = () -> ledgerOf(target, snapshotName).map(l -> l.finished().size()).orElse(0);
      interruptWhenSlicesAreDone(command, temp.resolve("killed-target.log"), finished, 3, true);
      int finishedBeforeKill = finished.getAsInt();
      TargetLedger ledger = ledgerOf(target, snapshotName).orElseThrow();
      assertTrue(ledger.claimed() > 0, "the killed run held claims on slices it was reading");

      slow.set(false);
      documentsSent.set(0);
      ConsoleRun second = ConsoleRun.of(args.toArray(String[]::new));
      assertEquals(0, second.exitCode, second::toString);
      assertTrue(second.err.contains("resuming: " + finishedBeforeKill + " slice(s) already done (index "
          + TargetLedger.INDEX + " on " + gateway.url()), second::toString);
      Matcher resumed = Pattern.compile("resumed: (\\d+) of (\\d+) slices were done by an earlier run").matcher(second.out);
      assertTrue(resumed.find(), second::toString);
      int total = Integer.parseInt(resumed.group(2));
      assertEquals(finishedBeforeKill, Integer.parseInt(resumed.group(1)));
      assertTrue(finishedBeforeKill < total, "the kill came before the end: " + finishedBeforeKill + " of " + total);
      assertTrue(documentsSent.get() < 600, "fewer documents sent the second time: " + documentsSent.get());
      assertTrue(second.out.contains("result: OK, every document read was written"), second::toString);

      List<ProgressLedger.Entry> entries = ledger.entries();
      assertEquals(total, entries.stream().map(ProgressLedger.Entry::key).distinct().count(), "each slice recorded once");
      assertEquals(total, entries.size());
      assertEquals(0, ledger.claimed(), "no claim left");
      assertEquals(600, entries.stream().mapToLong(ProgressLedger.Entry::documents).sum());
      assertEquals(total, ledger.total());

      ConsoleRun status = ConsoleRun.of("backfill", "status", "--state", "target", "--target", target.url());
      assertEquals(0, status.exitCode, status::toString);
      assertTrue(status.out.matches("(?s).*target\\s+" + snapshotName + "\\s+" + total + " of " + total + "\\s+600"
          + "\\s+20\\d\\d-.*"), status::toString);
    }
    assertEquals(w.expected().get(index), SourceWorkload.documents(ClusterClient.connect(target.endpoint()), index),
        "exactly the source's documents, each once");
  }

  /** A new index of {@code documents} numbered documents in 2 shards, snapshot into a repository of its own. */
  private static Path snapshotOfANewIndex(LocalCluster source, SourceWorkload w, String index, int documents, String name) {
    ClusterClient.connect(source.endpoint()).delete("/" + index);
    w.numberedIndex(index, 2, documents);
    Path repository = source.pathRepo().resolve("resume-" + UUID.randomUUID());
    ConsoleRun snapshot = ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo-path", repository.toString(),
        "--snapshot", name, "--indices", index, "--wait");
    assertEquals(0, snapshot.exitCode, snapshot::toString);
    return repository;
  }

  /** A relay to the target that counts the documents of bulk requests and, while {@code slow}, holds each 400 ms. */
  private static ScriptedHttpServer slowGateway(LocalCluster target, AtomicBoolean slow, AtomicLong documentsSent) {
    return ScriptedHttpServer.relay(target.url(), (n, request) -> {
      if (request.pathAndQuery().startsWith("/_bulk")) {
        documentsSent.addAndGet(request.body().lines().count() / 2);
        if (slow.get()) {
          BackfillUnderFaultsTest.sleep(400);
        }
      }
      return null;
    });
  }

  /** ./migrate with these arguments, as a command for a JVM of its own. */
  private static List<String> ownJvm(List<String> args) {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), Migrate.class.getName()));
    command.addAll(args);
    return command;
  }

  private static java.util.Optional<TargetLedger> ledgerOf(LocalCluster target, String snapshot) {
    return TargetLedger.all(target.endpoint()).stream().filter(l -> l.snapshot().equals(snapshot)).findFirst();
  }

  /** Starts the backfill in a JVM of its own and interrupts it (SIGTERM, or SIGKILL) once the ledger holds enough. */
  private static void interruptWhenSlicesAreDone(List<String> command, Path log, ProgressLedger ledger, int slices,
      boolean kill) throws Exception {
    interruptWhenSlicesAreDone(command, log, () -> ledger.finished().size(), slices, kill);
  }

  private static void interruptWhenSlicesAreDone(List<String> command, Path log, IntSupplier finished, int slices,
      boolean kill) throws Exception {
    Process run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (finished.getAsInt() < slices && run.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(run.isAlive() && finished.getAsInt() >= slices,
          () -> "running with some slices done: " + BackfillUnderFaultsTest.read(log));
    } finally {
      if (kill) {
        run.destroyForcibly(); // SIGKILL: no shutdown hook runs
      } else {
        run.destroy(); // SIGTERM: the shutdown hooks run, as on Ctrl-C
      }
      assertTrue(run.waitFor(1, TimeUnit.MINUTES), "the backfill ended");
    }
  }

  /**
   * Two snapshots taken under the same name (of different indices, in different repositories) backfilled one after the
   * other into the same target with the default ledger folder, as a team re-taking "mid-workload" does: each run keeps
   * a ledger of its own, neither skips nor trips over the other's, and each index arrives whole. (A ledger keyed by
   * snapshot name and target alone was shared by both: the second run "started over" and then failed to record.)
   */
  @Test
  void twoSnapshotsOfTheSameNameIntoTheSameTargetKeepLedgersOfTheirOwn() throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    LocalCluster target = TestClusters.opensearch("2.19.1");
    SourceWorkload w = new SourceWorkload(ClusterClient.connect(source.endpoint()));
    String run = Long.toString(System.nanoTime(), 36);
    String snapshotName = "same-name-" + run; // unique per test run; the two snapshots below share it
    java.util.List<String> ledgerLines = new java.util.ArrayList<>();
    for (String index : List.of("same_a_" + run, "same_b_" + run)) {
      w.numberedIndex(index, 2, 120);
      Path repository = source.pathRepo().resolve("same-name-" + UUID.randomUUID());
      ConsoleRun snapshot = ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo-path",
          repository.toString(), "--snapshot", snapshotName, "--indices", index, "--wait");
      assertEquals(0, snapshot.exitCode, snapshot::toString);
      ConsoleRun backfill = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", snapshotName,
          "--target", target.url(), "--indices", index, "--sliceSize=20");
      assertEquals(0, backfill.exitCode, backfill::toString);
      assertTrue(!backfill.err.contains("starting over") && !backfill.out.contains("resumed:"), backfill::toString);
      assertEquals(w.expected().get(index), SourceWorkload.documents(ClusterClient.connect(target.endpoint()), index),
          "exactly the source's documents, each once");
      Matcher ledger = Pattern.compile("progress ledger: (\\S+)").matcher(backfill.out);
      assertTrue(ledger.find(), backfill::toString);
      ledgerLines.add(ledger.group(1));
      List<ProgressLedger.Entry> entries = ProgressLedger.at(Path.of(ledger.group(1))).entries();
      assertEquals(entries.size(), entries.stream().map(ProgressLedger.Entry::key).distinct().count(), "each slice once");
      assertEquals(120, entries.stream().mapToLong(ProgressLedger.Entry::documents).sum(), "of this snapshot only");
    }
    assertEquals(2, new HashSet<>(ledgerLines).size(), "a ledger of its own for each snapshot: " + ledgerLines);
  }
}
