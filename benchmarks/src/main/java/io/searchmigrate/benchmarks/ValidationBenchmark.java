package io.searchmigrate.benchmarks;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalClusters;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.validation.Category;
import io.searchmigrate.validation.ValidateOptions;
import io.searchmigrate.validation.ValidationJob;
import io.searchmigrate.validation.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * What {@code migrate validate backfill} costs next to reading the target alone, in one run on one machine:
 * <ol>
 *   <li>the {@link BackfillBenchmark}'s source (Elasticsearch 7.10.2, N documents of about 1 KB in 4 shards, and
 *       its snapshot) is backfilled once into OpenSearch 2.19.1;</li>
 *   <li><b>baseline</b>: a pipeline that reads every document of the target index with the same reader the
 *       validation uses ({@code OpenSearchIO.read()}, one slice per shard) and counts them;</li>
 *   <li><b>validate</b>: {@code validate backfill} of the snapshot against that target (reads the snapshot with
 *       Lucene, maps like the migration, reads the target, joins by (index, id), compares canonically).</li>
 * </ol>
 * Both run on the same runner with the same parallelism, timed over the whole pipeline; the rounds alternate after
 * a warm-up round and the medians are compared. The goal is validate / baseline &lt;= 2.
 *
 * <pre>java ... ValidationBenchmark [--docs 200000] [--concurrency 2] [--rounds 3]</pre>
 */
public final class ValidationBenchmark {

  public static void main(String[] args) throws Exception {
    int docs = BackfillBenchmark.intArg(args, "--docs", 200_000);
    int concurrency = BackfillBenchmark.intArg(args, "--concurrency", 2);
    int rounds = BackfillBenchmark.intArg(args, "--rounds", 3);
    String index = BackfillBenchmark.INDEX;

    LocalClusters clusters = new LocalClusters(ProcessSupervisor.defaultHome(), line -> System.err.println("[clusters] " + line));
    LocalCluster source = BackfillBenchmark.running(clusters, ClusterRequest.of(Distribution.ELASTICSEARCH, "7.10.2").withName("bench-source"));
    LocalCluster target = BackfillBenchmark.running(clusters, ClusterRequest.of(Distribution.OPENSEARCH, "2.19.1").withName("bench-target"));
    ClusterClient sourceClient = ClusterClient.connect(source.endpoint());
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    Path repository = source.pathRepo().resolve("bench-" + docs);
    BackfillBenchmark.prepareSource(sourceClient, docs, repository);
    ClusterResponse count = targetClient.get("/" + index + "/_count");
    if (!count.isSuccess() || count.json().path("count").asLong() != docs) {
      targetClient.delete("/" + index);
      List<String> runner = List.of("--runner=DirectRunner", "--targetParallelism=" + concurrency);
      BackfillBenchmark.backfill(runner, repository.toString(), BackfillBenchmark.SNAPSHOT, List.of(), target, 5_000, clusters, docs);
      targetClient.postJson("/" + index + "/_refresh", null).requireSuccess();
    }
    System.err.printf(Locale.ROOT, "target index '%s' holds %,d documents%n", index, docs);

    List<String> runnerArgs = List.of("--runner=DirectRunner", "--targetParallelism=" + concurrency);
    List<Double> baseline = new ArrayList<>();
    List<Double> validate = new ArrayList<>();
    long[] pids = {ProcessHandle.current().pid(), target.pid()};
    long[] baselineTicks = new long[pids.length];
    long[] validateTicks = new long[pids.length];
    for (int round = 0; round <= rounds; round++) {
      boolean warmUp = round == 0;
      long[] before = ProxyBenchmark.cpuTicks(pids);
      double b = readTargetAlone(runnerArgs, target, index, docs);
      long[] between = ProxyBenchmark.cpuTicks(pids);
      double v = validateBackfill(runnerArgs, repository, target, index, docs);
      long[] after = ProxyBenchmark.cpuTicks(pids);
      System.err.printf(Locale.ROOT, "%s round %d: target read alone %.1f s, validate backfill %.1f s%n",
          warmUp ? "warm-up" : "measured", round, b, v);
      if (!warmUp) {
        baseline.add(b);
        validate.add(v);
        for (int i = 0; i < pids.length; i++) {
          baselineTicks[i] += between[i] - before[i];
          validateTicks[i] += after[i] - between[i];
        }
      }
    }
    double baseMedian = BackfillBenchmark.median(baseline);
    double validateMedian = BackfillBenchmark.median(validate);
    System.out.printf(Locale.ROOT, "%nvalidate backfill against OpenSearch 2.19.1: %,d documents, DirectRunner parallelism %d, "
        + "%d rounds%n", docs, concurrency, rounds);
    long measured = (long) docs * rounds;
    System.out.printf(Locale.ROOT, "| %-52s | %8s | %10s | %22s | %10s | %10s |%n", "measure", "s", "docs/s", "rounds (s)",
        "µs CPU/doc", "target");
    System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%n", "-".repeat(54), "-".repeat(10), "-".repeat(12), "-".repeat(24),
        "-".repeat(12), "-".repeat(12));
    System.out.printf(Locale.ROOT, "| %-52s | %8.1f | %,10.0f | %22s | %10.1f | %10.1f |%n",
        "baseline: the target read alone (OpenSearchIO.read)", baseMedian, docs / baseMedian, seconds(baseline),
        microsPerDocument(baselineTicks[0], measured), microsPerDocument(baselineTicks[1], measured));
    System.out.printf(Locale.ROOT, "| %-52s | %8.1f | %,10.0f | %22s | %10.1f | %10.1f |%n",
        "validate backfill (snapshot + target, compared)", validateMedian, docs / validateMedian, seconds(validate),
        microsPerDocument(validateTicks[0], measured), microsPerDocument(validateTicks[1], measured));
    System.out.printf(Locale.ROOT, "| %-52s | %8s | %10s | %22s | %10s | %10s |%n", "ratio validate / baseline (goal <= 2)",
        String.format(Locale.ROOT, "%.2f", validateMedian / baseMedian), "", "", "", "");
    System.out.println("(s: median of the measured rounds, each timed over the whole run; µs CPU/doc: this JVM's CPU time "
        + "(user + system, /proc) over all measured rounds of that measure, divided by the documents they read; target: "
        + "the target cluster's, over the same rounds)");
  }

  private static double microsPerDocument(long ticks, long documents) {
    return ticks * 10_000.0 / documents;
  }

  /** Seconds to read every document of the index with the live reader and count them (the count is checked). */
  private static double readTargetAlone(List<String> runnerArgs, LocalCluster target, String index, long expected) {
    PipelineOptions options = RunnerPresets.parse(runnerArgs, PipelineOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply("ReadTarget", OpenSearchIO.read().from(target.endpoint()).withSelection(Selection.ofIndices(List.of(index))))
        .apply("Count", Count.globally())
        .apply("Check", ParDo.of(new CheckCountFn(expected)));
    long start = System.nanoTime();
    pipeline.run().waitUntilFinish();
    return (System.nanoTime() - start) / 1e9;
  }

  /** Seconds of one whole {@code validate backfill} run, which must pass with every document equal. */
  private static double validateBackfill(List<String> runnerArgs, Path repository, LocalCluster target, String index,
      long expected) {
    List<String> jobArgs = new ArrayList<>(runnerArgs);
    jobArgs.addAll(List.of("--repo=" + repository, "--snapshot=" + BackfillBenchmark.SNAPSHOT, "--target=" + target.url(),
        "--indices=" + index));
    long start = System.nanoTime();
    ValidationReport report = new ValidationJob(RunnerPresets.parse(jobArgs, ValidateOptions.class), line -> { }).run();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!report.passed() || report.total(Category.EQUAL) != expected) {
      throw new IllegalStateException("validate backfill did not find every document equal:\n" + report.renderText(10));
    }
    return seconds;
  }

  /** Fails the baseline when the reader did not return exactly the documents the index holds. */
  static final class CheckCountFn extends DoFn<Long, Void> {
    private static final long serialVersionUID = 1L;
    private final long expected;

    CheckCountFn(long expected) {
      this.expected = expected;
    }

    @ProcessElement
    public void process(@Element Long count) {
      if (count != expected) {
        throw new IllegalStateException("the target read returned " + count + " documents, expected " + expected);
      }
    }
  }

  private static String seconds(List<Double> values) {
    List<String> parts = new ArrayList<>();
    values.forEach(v -> parts.add(String.format(Locale.ROOT, "%.1f", v)));
    return String.join(" ", parts);
  }
}
