package io.searchmigrate.console;

import io.searchmigrate.common.LocalPaths;
import io.searchmigrate.common.ProgressLine;
import io.searchmigrate.common.UserError;
import io.searchmigrate.pipelines.backfill.BackfillJob;
import io.searchmigrate.pipelines.backfill.BackfillOptions;
import io.searchmigrate.pipelines.backfill.BackfillSummary;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.snapshot.s3.S3Uri;
import io.searchmigrate.validation.ValidateOptions;
import io.searchmigrate.validation.ValidationJob;
import io.searchmigrate.validation.ValidationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migrate backfill}: every live document of a snapshot into the target, with an account of each one. The
 * flags map onto the backfill's Beam pipeline options ({@code BackfillOptions}); Beam and runner options may follow
 * as {@code --name=value}.
 */
@Command(name = "backfill", subcommands = {BackfillStatusCommand.class, BackfillStopCommand.class}, description = {
    "Copy every live document of a snapshot into the target.",
    "Reads the repository in place with Lucene. Missing target indices are created from the snapshot's definitions. "
        + "Documents that cannot be delivered go to the dead-letter file with the reason (written only when some did "
        + "not arrive). Exits 1 when any document was not delivered, or none were written.",
    "Beam and runner options may be added as --name=value, e.g. --maxBundleSize=50000 or --statefulBatches=4; "
        + "runner-configs/ holds each runner's presets.",
    "Each finished slice is recorded in a progress ledger (--state); the same command run again after a crash or "
        + "Ctrl-C skips the finished slices (--restart reads everything again). ./migrate backfill status shows it; "
        + "./migrate backfill stop stops a backfill submitted to a Flink session cluster."})
final class BackfillCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--repo", description = "snapshot repository folder or s3://bucket/prefix")
  String repo;

  @Mixin
  S3Flags s3;

  @Option(names = "--snapshot")
  String snapshot;

  @Mixin
  ClusterOptions.Target target;

  @Option(names = "--indices", split = ",", description = "indices (names, * patterns or regex:...; default: all but system indices)")
  List<String> indices = new ArrayList<>();

  @Option(names = "--runner", defaultValue = "direct", description = "direct, flink-local (Flink in this JVM) or flink (a "
      + "session cluster, with --flink-master) (default: ${DEFAULT-VALUE})")
  String runner;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT", description = "with --runner flink: the session cluster's REST "
      + "address (./migrate flink start-local prints it)")
  String flinkMaster;

  @Option(names = "--detach", description = "with --runner flink: return once the job is submitted (./migrate flink jobs follows it)")
  boolean detach;

  @Option(names = "--parallelism", description = "parallel workers (default: the runner's, about one per core)")
  Integer parallelism;

  @Option(names = "--previous-snapshot", paramLabel = "OLD", description = "an earlier snapshot of the same indices in the "
      + "same repository, the one the target was filled from: send only what changed since (new and changed documents are "
      + "indexed, documents gone are deleted; segments unchanged since are not read)")
  String previousSnapshot;

  @Option(names = "--dead-letter", description = "NDJSON file for documents that could not be delivered and shards that could "
      + "not be read, appended as they happen (kept only when something failed; default: dead-letter-<snapshot>-<time>.ndjson here); "
      + "or s3://bucket/prefix: the run's own folder there, one part-*.ndjson object per flush (with --s3-region/--s3-endpoint)")
  String deadLetter;

  @Option(names = "--target-unavailable-timeout", defaultValue = "30m", description = "how long to wait for a target that is "
      + "away (refused connections, timeouts, 429/5xx, answers that are not bulk answers) before stopping, e.g. 90s, 30m, 2h "
      + "(default: ${DEFAULT-VALUE})")
  String targetUnavailableTimeout;

  @Option(names = "--accept-partial-source", description = "also backfill indices whose mapping filters _source (their "
      + "documents carry only what the snapshot stored; the summary marks them)")
  boolean acceptPartialSource;

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

  @Option(names = "--state", paramLabel = "DIR|target", description = "folder of the progress ledger (default: "
      + "<MIGRATE_HOME>/backfill-state/<snapshot>-<hash of the target>); target: the hidden index "
      + ".migrate-backfill-ledger on the target, which every worker of a fleet shares (each slice is claimed by one)")
  Path state;

  @Option(names = "--restart", description = "ignore and clear the progress ledger: read every slice again")
  boolean restart;

  @Option(names = "--validate", description = "when the backfill is done, compare the snapshot with the target document "
      + "by document (as ./migrate validate backfill does); its verdict counts in the exit code")
  boolean validate;

  @CommandLine.Unmatched
  List<String> pipelineOptions = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (repo == null || snapshot == null) {
      throw new UserError("backfill needs --repo (the snapshot repository) and --snapshot (its name); "
          + "./migrate backfill --help lists the flags");
    }
    if (!ConfigDefaults.typed(spec, "--flink-master") && !runner.equalsIgnoreCase("flink")) {
      flinkMaster = null; // the configured session cluster is for --runner flink only
    }
    List<String> args = new ArrayList<>(runnerArgs(runner, parallelism, flinkMaster, detach));
    args.addAll(List.of("--repo=" + repo, "--snapshot=" + snapshot, "--batchDocs=" + batchDocs,
        "--batchBytes=" + ((long) batchMegabytes << 20), "--createIndices=" + !noCreateIndices,
        "--verifyChecksums=" + !skipChecksums, "--multiType=" + multiType, "--progressEverySeconds=" + Math.max(1, progressEvery),
        "--targetUnavailableTimeout=" + targetUnavailableTimeout, "--acceptPartialSource=" + acceptPartialSource));
    args.addAll(target.pipelineArgs());
    args.addAll(s3.pipelineArgs());
    if (!indices.isEmpty()) {
      args.add("--indices=" + String.join(",", indices));
    }
    if (previousSnapshot != null) {
      args.add("--previousSnapshot=" + previousSnapshot);
    }
    args.add(BackfillStatusCommand.onTarget(state) ? "--state=" + BackfillJob.TARGET_STATE
        : state != null ? "--state=" + LocalPaths.of(state.toString(), "--state").toAbsolutePath()
        : "--stateRoot=" + BackfillStatusCommand.stateRoot());
    args.add("--restart=" + restart);
    if (deadLetter != null) {
      args.add("--deadLetter=" + (S3Uri.isS3(deadLetter) ? deadLetter : LocalPaths.of(deadLetter, "--dead-letter").toAbsolutePath()));
    }
    if (pipelineOptions.stream().noneMatch(option -> option.startsWith("--jobName="))) {
      args.add("--jobName=" + BackfillStopCommand.jobName(snapshot)); // how backfill stop tells a backfill's job apart
    }
    for (String option : pipelineOptions) {
      if (!option.startsWith("--") || !option.contains("=")) {
        throw new UserError("unknown argument '" + option + "'; pipeline options are written --name=value "
            + "(./migrate backfill --help lists the command's own flags)");
      }
      args.add(option);
    }
    BackfillSummary summary = new BackfillJob(RunnerPresets.parse(args, BackfillOptions.class), ProgressLine.on(err, "backfill")).run();
    spec.commandLine().getOut().print(summary.render());
    spec.commandLine().getOut().flush();
    int code = summary.isSuccess() ? 0 : Migrate.RUN_FAILED;
    if (validate) {
      List<String> validation = new ArrayList<>(runnerArgs(runner, parallelism));
      validation.addAll(List.of("--repo=" + repo, "--snapshot=" + snapshot, "--multiType=" + multiType));
      validation.addAll(target.pipelineArgs());
      validation.addAll(s3.pipelineArgs());
      if (!indices.isEmpty()) {
        validation.add("--indices=" + String.join(",", indices));
      }
      ValidationReport report = new ValidationJob(RunnerPresets.parse(validation, ValidateOptions.class), ProgressLine.on(err, "validate")).run();
      spec.commandLine().getOut().print(report.renderText(20));
      spec.commandLine().getOut().flush();
      if (!report.passed()) {
        code = Migrate.RUN_FAILED;
      }
    }
    return code;
  }

  static List<String> runnerArgs(String runner, Integer parallelism) {
    return runnerArgs(runner, parallelism, null, false);
  }

  /**
   * The Beam options behind the console's runner names: direct (DirectRunner), flink-local (Flink's mini-cluster) and
   * flink (a session cluster at --flink-master).
   */
  static List<String> runnerArgs(String runner, Integer parallelism, String flinkMaster, boolean detach) {
    String kind = runner.toLowerCase(Locale.ROOT);
    if ((flinkMaster != null || detach) && !kind.equals("flink")) {
      throw new UserError("--flink-master and --detach go with --runner flink (a Flink session cluster); got --runner " + runner);
    }
    if (kind.equals("flink")) {
      if (flinkMaster == null || flinkMaster.isBlank()) {
        throw new UserError("--runner flink submits to a Flink session cluster: give its REST address with --flink-master "
            + "HOST:PORT (./migrate flink start-local starts one and prints it)");
      }
      List<String> flink = new ArrayList<>(List.of("--runner=FlinkRunner", "--flinkMaster=" + flinkMaster));
      if (parallelism != null) {
        flink.add("--parallelism=" + parallelism);
      }
      if (detach) {
        flink.add("--attachedMode=false");
      }
      return flink;
    }
    switch (kind) {
      case "direct":
        return parallelism == null ? List.of("--runner=DirectRunner")
            : List.of("--runner=DirectRunner", "--targetParallelism=" + parallelism);
      case "flink-local":
        return parallelism == null ? List.of("--runner=FlinkRunner", "--flinkMaster=[local]")
            : List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=" + parallelism);
      default:
        throw new UserError("unknown runner '" + runner + "'; expected direct, flink-local or flink");
    }
  }
}
