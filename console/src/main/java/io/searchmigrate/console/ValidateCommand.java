package io.searchmigrate.console;

import io.searchmigrate.common.Durations;
import io.searchmigrate.common.ProgressLine;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.validation.ReportFiles;
import io.searchmigrate.validation.ValidateOptions;
import io.searchmigrate.validation.ValidationJob;
import io.searchmigrate.validation.ValidationReport;
import io.searchmigrate.snapshot.s3.S3Uri;
import io.searchmigrate.validation.tuples.TupleReport;
import io.searchmigrate.validation.tuples.TupleValidation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migrate validate backfill|clusters|tuples}: proves the target holds what the source holds (document by
 * document) and answers as the source does (replay tuples). Exit 0 pass, 1 fail, 2 bad input.
 */
@Command(name = "validate", description = {
    "Compare the target with the source, document by document, or the target's answers with the source's (tuples).",
    "Exit codes: 0 pass; 1 fail (a difference, or an index or run with no document compared); 2 bad input "
        + "(unknown snapshot, unreachable cluster, ...)."},
    subcommands = {ValidateCommand.Backfill.class, ValidateCommand.Clusters.class, ValidateCommand.Tuples.class})
final class ValidateCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Report and schedule flags, the same for every kind of validation. */
  static final class Reporting {
    @Option(names = "--output", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    String output;

    @Option(names = "--html", paramLabel = "FILE", description = "also write one self-contained HTML page")
    Path html;

    @Option(names = "--differences", paramLabel = "FILE", description = "write every difference as NDJSON (owner-only)")
    Path differences;

    @Option(names = "--max-differences", defaultValue = "100", description = "differences listed in the text, JSON and "
        + "HTML reports; totals stay exact (default: ${DEFAULT-VALUE})")
    int maxDifferences;

    @Option(names = "--every", paramLabel = "DURATION", description = "run again every DURATION (e.g. 15m) until stopped")
    String every;

    @Option(names = "--history", paramLabel = "DIR", description = "keep each run's JSON report and history.ndjson here "
        + "(one line per run: time, verdict, counts); the HTML page shows the trend")
    Path history;

    @Option(names = "--runs", description = "with --every: stop after this many runs (default: until stopped)")
    Integer runs;

    /** Runs {@code once} (repeatedly with --every) and prints each report; the exit code of the last run. */
    int run(PrintWriter out, PrintWriter err, Supplier<Report> once) {
      if (!output.equals("text") && !output.equals("json")) {
        throw new UserError("--output is text or json, not '" + output + "'");
      }
      if (maxDifferences < 0) {
        throw new UserError("--max-differences must be 0 or more, not " + maxDifferences);
      }
      Duration interval = every == null ? null : Durations.parse(every, "--every");
      ReportFiles files = new ReportFiles(html, differences, history, maxDifferences);
      int code;
      int done = 0;
      while (true) {
        long started = System.nanoTime();
        Report report = once.get();
        out.print(output.equals("json") ? report.json(maxDifferences) + "\n" : report.text(maxDifferences));
        out.flush();
        try {
          for (Path written : report.write(files)) {
            err.println("wrote " + written);
          }
        } catch (IOException e) {
          throw new UserError("cannot write the report files: " + e.getMessage());
        }
        code = report.passed() ? 0 : Migrate.RUN_FAILED;
        done++;
        if (interval == null || (runs != null && done >= runs)) {
          return code;
        }
        long waitMillis = interval.toMillis() - (System.nanoTime() - started) / 1_000_000;
        err.println("next run in " + Durations.human(Duration.ofMillis(Math.max(0, waitMillis))) + " (Ctrl-C stops)");
        try {
          Thread.sleep(Math.max(0, waitMillis));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return code;
        }
      }
    }
  }

  /** What the reporting loop needs of a report, documents or tuples. */
  interface Report {
    String text(int maxDifferences);

    String json(int maxDifferences);

    boolean passed();

    List<Path> write(ReportFiles files) throws IOException;

    static Report of(ValidationReport report) {
      return of(report::renderText, report::toJson, report::passed, files -> files.write(report));
    }

    interface Writer {
      List<Path> write(ReportFiles files) throws IOException;
    }

    static Report of(IntFunction<String> text, IntFunction<? extends JsonNode> json, BooleanSupplier passed, Writer writer) {
      return new Report() {
        public String text(int max) {
          return text.apply(max);
        }

        public String json(int max) {
          return Json.toPrettyString(json.apply(max));
        }

        public boolean passed() {
          return passed.getAsBoolean();
        }

        public List<Path> write(ReportFiles files) throws IOException {
          return writer.write(files);
        }
      };
    }
  }

  /** Flags shared by the two document comparisons. */
  abstract static class Documents implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterOptions.Target target;

    @Mixin
    Reporting reporting;

    @Option(names = "--indices", split = ",", description = "source indices (names, * patterns or regex:...; default: all "
        + "but system indices)")
    List<String> indices = new ArrayList<>();

    @Option(names = "--multi-type", defaultValue = "merge", description = "how the migration treated indices with several "
        + "mapping types (Elasticsearch 5): merge (default) or split[:PATTERN]")
    String multiType;

    @Option(names = "--runner", defaultValue = "direct", description = "direct or flink-local (default: ${DEFAULT-VALUE})")
    String runner;

    @Option(names = "--parallelism", description = "parallel workers (default: the runner's, about one per core)")
    Integer parallelism;

    @CommandLine.Unmatched
    List<String> pipelineOptions = new ArrayList<>();

    abstract List<String> sourceArgs();

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      List<String> args = new ArrayList<>(BackfillCommand.runnerArgs(runner, parallelism));
      args.addAll(sourceArgs());
      args.addAll(target.pipelineArgs());
      args.add("--multiType=" + multiType);
      if (!indices.isEmpty()) {
        args.add("--indices=" + String.join(",", indices));
      }
      for (String option : pipelineOptions) {
        if (!option.startsWith("--") || !option.contains("=")) {
          throw new UserError("unknown argument '" + option + "'; pipeline options are written --name=value "
              + "(./migrate validate " + spec.name() + " --help lists the command's own flags)");
        }
        args.add(option);
      }
      return reporting.run(spec.commandLine().getOut(), err, () -> Report.of(
          new ValidationJob(RunnerPresets.parse(args, ValidateOptions.class), ProgressLine.on(err, "validate")).run()));
    }
  }

  @Command(name = "backfill", description = {"Compare a snapshot with the target it was backfilled into, document by "
      + "document: equal, missing, unexpected, differs (canonical JSON: key order and number formats do not count), "
      + "routing."})
  static final class Backfill extends Documents {
    @Option(names = "--repo", required = true, description = "snapshot repository folder or s3://bucket/prefix")
    String repo;

    @Mixin
    S3Flags s3;

    @Option(names = "--snapshot", required = true)
    String snapshot;

    @Override
    List<String> sourceArgs() {
      List<String> args = new ArrayList<>(List.of("--repo=" + repo, "--snapshot=" + snapshot));
      args.addAll(s3.pipelineArgs());
      return args;
    }
  }

  @Command(name = "clusters", description = {"Compare a live source cluster with the target, document by document.",
      "While replay still writes, --settle looks again at what differed: documents that converge count as in-flight."})
  static final class Clusters extends Documents {
    @Mixin
    ClusterOptions.Source source;

    @Option(names = "--settle", paramLabel = "DURATION", description = "fetch differing documents again on both sides "
        + "after DURATION (e.g. 5s); those that converged count as in-flight, not as differences")
    String settle;

    @Override
    List<String> sourceArgs() {
      if (source.url == null) {
        throw new UserError("--source is required: the cluster the target should match");
      }
      List<String> args = new ArrayList<>(source.pipelineArgs());
      if (settle != null) {
        Durations.parse(settle, "--settle");
        args.add("--settle=" + settle);
      }
      return args;
    }
  }

  @Command(name = "tuples", description = {"Compare the target's answers with the source's in the replay's tuples: "
      + "status codes, hit totals, hit ids in order, aggregation buckets, write results; noise learned from requests "
      + "the target answered twice is reported apart."})
  static final class Tuples implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Reporting reporting;

    @Option(names = "--in", required = true, paramLabel = "DIR", description = "folder of tuple files (*.ndjson, *.ndjson.gz), "
        + "or the replay's s3://bucket/prefix (with --s3-region/--s3-endpoint)")
    String in;

    @Mixin
    S3Flags s3;

    @Option(names = "--ignore", paramLabel = "PATH", description = "also ignore this JSON path in answers (e.g. "
        + "hits.max_score); repeatable")
    List<String> ignore = new ArrayList<>();

    @Override
    public Integer call() {
      return reporting.run(spec.commandLine().getOut(), spec.commandLine().getErr(), () -> {
        TupleReport report;
        try {
          report = new TupleValidation(ignore).run(S3Uri.isS3(in) ? in : Path.of(in).toAbsolutePath().toString(), s3.access());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return Report.of(report::renderText, report::toJson, report::passed, report::write);
      });
    }
  }
}
