package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.pipelines.backfill.ProgressLedger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code migrate backfill status}: what the progress ledgers say (slices done, documents written, last update). */
@Command(name = "status", description = {"Show the progress ledger of each backfill: slices done of all, documents "
    + "written, last update.", "Reads <MIGRATE_HOME>/backfill-state, or the folder given with --state."})
final class BackfillStatusCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--state", paramLabel = "DIR", description = "one backfill's ledger folder (as given to backfill --state)")
  Path state;

  /** Where backfills keep their ledgers unless told otherwise. */
  static Path stateRoot() {
    return ProcessSupervisor.defaultHome().resolve("backfill-state");
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> folders;
    if (state != null) {
      if (!ProgressLedger.at(state).exists()) {
        throw new UserError("no backfill progress ledger in " + state.toAbsolutePath() + " (a backfill writes "
            + "slices.ndjson there once its first slice is finished)");
      }
      folders = List.of(state);
    } else {
      folders = ledgers(stateRoot());
      if (folders.isEmpty()) {
        out.println("no backfill progress recorded in " + stateRoot());
        return 0;
      }
    }
    out.printf("%-40s %-24s %-14s %12s  %s%n", "STATE", "SNAPSHOT", "SLICES", "DOCUMENTS", "LAST UPDATE");
    for (Path folder : folders) {
      ProgressLedger ledger = ProgressLedger.at(folder);
      List<ProgressLedger.Entry> entries = ledger.entries();
      long total = ledger.total();
      long documents = entries.stream().mapToLong(ProgressLedger.Entry::documents).sum();
      String snapshot = entries.isEmpty() ? "?" : entries.get(0).snapshot();
      Instant last = entries.stream().map(ProgressLedger.Entry::finishedAt).max(Instant::compareTo).orElse(null);
      out.printf("%-40s %-24s %-14s %12d  %s%n", folder.getFileName(), snapshot,
          entries.size() + " of " + (total < 0 ? "?" : Long.toString(total)), documents, last == null ? "-" : last);
      if (!entries.isEmpty()) {
        out.println("  target " + entries.get(0).target() + "; ledger " + ledger.dir());
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
