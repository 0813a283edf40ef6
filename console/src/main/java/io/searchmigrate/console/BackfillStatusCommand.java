package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.pipelines.backfill.BackfillJob;
import io.searchmigrate.pipelines.backfill.ProgressLedger;
import io.searchmigrate.pipelines.backfill.SliceLedger;
import io.searchmigrate.pipelines.backfill.TargetLedger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate backfill status}: what the progress ledgers say (slices done, documents written, last update). */
@Command(name = "status", description = {"Show the progress ledger of each backfill: slices done of all, documents "
    + "written, last update.", "Reads <MIGRATE_HOME>/backfill-state, or the folder given with --state, or with "
    + "--state target --target URL the ledgers kept on the target."})
final class BackfillStatusCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--state", paramLabel = "DIR|target", description = "one backfill's ledger folder (as given to backfill "
      + "--state), or target: the ledgers in the target's index .migrate-backfill-ledger (with --target)")
  Path state;

  @Mixin
  ClusterOptions.Target target;

  /** {@code --state target}: the ledger is an index on the target. */
  static boolean onTarget(Path state) {
    return state != null && state.toString().equals(BackfillJob.TARGET_STATE);
  }

  /** Where backfills keep their ledgers unless told otherwise. */
  static Path stateRoot() {
    return ProcessSupervisor.defaultHome().resolve("backfill-state");
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<SliceLedger> ledgers;
    if (onTarget(state)) {
      if (target.url == null) {
        throw new UserError("--state target reads the ledgers kept on the target: give its --target URL");
      }
      ledgers = new ArrayList<>(TargetLedger.all(target.endpoint()));
      if (ledgers.isEmpty()) {
        out.println("no backfill progress recorded on " + target.url + " (index " + TargetLedger.INDEX + ")");
        return 0;
      }
    } else if (state != null) {
      if (!ProgressLedger.at(state).exists()) {
        throw new UserError("no backfill progress ledger in " + state.toAbsolutePath() + " (a backfill writes "
            + "slices.ndjson there once its first slice is finished)");
      }
      ledgers = List.of(ProgressLedger.at(state));
    } else {
      ledgers = new ArrayList<>(ledgers(stateRoot()).stream().map(ProgressLedger::at).toList());
      if (ledgers.isEmpty()) {
        out.println("no backfill progress recorded in " + stateRoot());
        return 0;
      }
    }
    out.printf("%-40s %-24s %-14s %12s  %s%n", "STATE", "SNAPSHOT", "SLICES", "DOCUMENTS", "LAST UPDATE");
    for (SliceLedger ledger : ledgers) {
      List<ProgressLedger.Entry> entries = ledger.entries();
      long total = ledger.total();
      long documents = entries.stream().mapToLong(ProgressLedger.Entry::documents).sum();
      String snapshot = ledger instanceof TargetLedger onTarget ? onTarget.snapshot()
          : entries.isEmpty() ? "?" : entries.get(0).snapshot();
      Instant last = entries.stream().map(ProgressLedger.Entry::finishedAt).max(Instant::compareTo).orElse(null);
      String name = ledger instanceof ProgressLedger files ? files.dir().getFileName().toString() : BackfillJob.TARGET_STATE;
      out.printf("%-40s %-24s %-14s %12d  %s%n", name, snapshot,
          entries.size() + " of " + (total < 0 ? "?" : Long.toString(total)), documents, last == null ? "-" : last);
      if (ledger instanceof TargetLedger onTarget && onTarget.claimed() > 0) {
        out.println("  " + onTarget.claimed() + " slice(s) claimed by a worker and not finished yet");
      }
      if (!entries.isEmpty()) {
        out.println("  target " + entries.get(0).target() + "; ledger " + ledger.location());
      }
    }
    out.println("(\"of ?\": the total is known once a run has planned every slice; the same backfill command resumes)");
    return 0;
  }

  private static List<Path> ledgers(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children.filter(child -> ProgressLedger.at(child).exists()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }
}
