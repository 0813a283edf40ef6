package io.searchmigrate.console;

import io.searchmigrate.pipelines.backfill.BackfillConfig;
import io.searchmigrate.pipelines.backfill.BackfillJob;
import io.searchmigrate.pipelines.backfill.BackfillSummary;
import io.searchmigrate.pipelines.backfill.Runners;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate backfill}: every live document of a snapshot into the target, with an account of each one. */
@Command(name = "backfill", description = {
    "Copy every live document of a snapshot into the target.",
    "Reads the repository in place with Lucene. Missing target indices are created from the snapshot's definitions. "
        + "Documents that cannot be delivered go to the dead-letter file with the reason. Exits 1 when any document was "
        + "not delivered, or none were written."})
final class BackfillCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--repo", required = true, description = "snapshot repository folder")
  String repo;

  @Option(names = "--snapshot", required = true)
  String snapshot;

  @Mixin
  ClusterOptions.Target target;

  @Option(names = "--indices", split = ",", description = "indices (names or * patterns; default: all but system indices)")
  List<String> indices = new ArrayList<>();

  @Option(names = "--runner", defaultValue = "direct", description = "direct or flink-local (default: ${DEFAULT-VALUE})")
  String runner;

  @Option(names = "--parallelism", description = "parallel workers (default: number of cores, at least 2)")
  Integer parallelism;

  @Option(names = "--dead-letter", description = "NDJSON file for documents that could not be delivered "
      + "(default: dead-letter-<snapshot>-<time>.ndjson here)")
  Path deadLetter;

  @Option(names = "--batch-docs", defaultValue = "5000", description = "most documents per bulk request (default: ${DEFAULT-VALUE})")
  int batchDocs;

  @Option(names = "--batch-mb", defaultValue = "10", description = "most megabytes per bulk request (default: ${DEFAULT-VALUE})")
  int batchMegabytes;

  @Option(names = "--no-create-indices", description = "do not create missing target indices")
  boolean noCreateIndices;

  @Option(names = "--skip-checksums", description = "do not verify shard files against their recorded checksums")
  boolean skipChecksums;

  @Option(names = "--multi-type", defaultValue = "merge", description = "indices with several mapping types (Elasticsearch 5): "
      + "merge (default) or split[:PATTERN] into one index per type, as the metadata migration does")
  String multiType;

  @Option(names = "--progress-every", defaultValue = "5", description = "seconds between progress lines (default: ${DEFAULT-VALUE})")
  int progressEvery;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Path deadLetterFile = deadLetter != null ? deadLetter
        : Path.of("dead-letter-" + snapshot + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".ndjson");
    BackfillConfig config = BackfillConfig.of(repo, snapshot, target.endpoint())
        .withIndices(indices)
        .withRunner(Runners.parse(runner))
        .withDeadLetterFile(deadLetterFile)
        .withBatch(batchDocs, (long) batchMegabytes << 20)
        .withIndexCreation(!noCreateIndices)
        .withChecksumVerification(!skipChecksums)
        .withOptions(MigrationOptions.defaults().withMultiType(multiType));
    if (parallelism != null) {
      config = config.withParallelism(parallelism);
    }
    BackfillSummary summary;
    try (ProgressPrinter printer = new ProgressPrinter(err)) {
      summary = new BackfillJob(config, err::println).run(progress -> printer.start(progress, Math.max(1, progressEvery)));
    }
    spec.commandLine().getOut().print(summary.render());
    spec.commandLine().getOut().flush();
    return summary.isSuccess() ? 0 : Migrate.RUN_FAILED;
  }
}
