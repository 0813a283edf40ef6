package io.searchmigrate.console;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalClusters;
import io.searchmigrate.pipelines.backfill.BackfillJob;
import io.searchmigrate.pipelines.backfill.BackfillOptions;
import io.searchmigrate.pipelines.backfill.BackfillSummary;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.snapshot.creation.SnapshotCreator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code migrate demo}: a whole local migration on real clusters it provisions itself: sample data into an
 * Elasticsearch source, a snapshot, a backfill into OpenSearch, then a source/target comparison.
 */
@Command(name = "demo", description = {
    "Run a local demo migration end to end, on clusters it provisions.",
    "Provisions Elasticsearch and OpenSearch, loads sample data (updates, deletes, routing, several shards), snapshots it, "
        + "backfills it, and compares source and target document counts. The clusters keep running afterwards so you can "
        + "look around; stop them with ./migrate clusters stop."})
final class DemoCommand implements Callable<Integer> {
  static final String SOURCE_NAME = "demo-source";
  static final String TARGET_NAME = "demo-target";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--source-version", defaultValue = "7.10.2", description = "Elasticsearch version of the source (default: ${DEFAULT-VALUE})")
  String sourceVersion;

  @Option(names = "--target-version", defaultValue = "2.19.1", description = "OpenSearch version of the target (default: ${DEFAULT-VALUE})")
  String targetVersion;

  @Option(names = "--docs", defaultValue = "60000", description = "sample documents to load before deletes (default: ${DEFAULT-VALUE})")
  int documents;

  @Option(names = "--runner", defaultValue = "direct", description = "direct or flink-local (default: ${DEFAULT-VALUE})")
  String runner;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LocalClusters clusters = ClustersCommand.clusters(err);

    out.println("== 1/5 clusters");
    out.flush();
    LocalCluster source = ensure(clusters, ClusterRequest.of(Distribution.ELASTICSEARCH, sourceVersion).withName(SOURCE_NAME), err);
    LocalCluster target = ensure(clusters, ClusterRequest.of(Distribution.OPENSEARCH, targetVersion).withName(TARGET_NAME)
        .withModules(targetVersion.startsWith("2.19.")), err);
    out.println("source " + source + ", target " + target);

    out.println("== 2/5 sample data into the source");
    out.flush();
    ClusterClient sourceClient = ClusterClient.connect(source.endpoint());
    Map<String, Long> sourceCounts = new SampleData(sourceClient, err::println).load(documents);
    List<String> indices = List.copyOf(sourceCounts.keySet());

    out.println("== 3/5 snapshot of the source");
    out.flush();
    String snapshot = "demo-" + System.currentTimeMillis();
    Path repository = source.pathRepo().resolve(snapshot);
    SnapshotCreator snapshots = new SnapshotCreator(sourceClient, "demo_repo");
    snapshots.registerFilesystemRepository(repository.toString());
    snapshots.create(snapshot, indices);
    out.println(snapshots.waitFor(snapshot, Duration.ofSeconds(1), p -> err.println("  " + p.describe())).describe());

    out.println("== 4/5 backfill from the snapshot into the target");
    out.flush();
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    indices.forEach(i -> targetClient.delete("/" + i)); // the demo may run again on the same clusters
    List<String> args = new ArrayList<>(BackfillCommand.runnerArgs(runner, null));
    args.addAll(List.of("--repo=" + repository, "--snapshot=" + snapshot, "--target=" + target.url(),
        "--indices=" + String.join(",", indices), "--progressEverySeconds=2",
        "--deadLetter=" + clusters.home().resolve("demo").resolve(snapshot + "-dead-letter.ndjson")));
    BackfillSummary summary = new BackfillJob(RunnerPresets.parse(args, BackfillOptions.class), err::println).run();
    out.print(summary.render());

    out.println("== 5/5 source and target compared");
    Map<String, Long> targetCounts = SampleData.counts(targetClient, indices);
    boolean allMatch = true;
    out.printf("  %-20s %12s %12s%n", "INDEX", "SOURCE", "TARGET");
    for (String index : indices) {
      boolean match = sourceCounts.get(index).equals(targetCounts.get(index));
      allMatch &= match;
      out.printf("  %-20s %12d %12d  %s%n", index, sourceCounts.get(index), targetCounts.get(index), match ? "match" : "DIFFERENT");
    }
    out.println(allMatch && summary.isSuccess() ? "demo migration OK: the target holds every document of the source"
        : "demo migration FAILED: see above");
    out.println("look around: curl '" + target.url() + "/_cat/indices?v'   stop: ./migrate clusters stop --name "
        + SOURCE_NAME + " && ./migrate clusters stop --name " + TARGET_NAME);
    out.flush();
    return allMatch && summary.isSuccess() ? 0 : Migrate.RUN_FAILED;
  }

  /** Reuses a healthy cluster of that name and version, else provisions it. */
  private static LocalCluster ensure(LocalClusters clusters, ClusterRequest request, PrintWriter err) {
    Optional<LocalCluster> running = clusters.find(request.name()).filter(LocalCluster::isRunning)
        .filter(c -> c.version().equals(request.version()) && c.distribution() == request.distribution())
        .filter(c -> LocalClusters.health(c) != null);
    if (running.isPresent()) {
      err.println("reusing running cluster " + running.get());
      return running.get();
    }
    if (clusters.find(request.name()).map(LocalCluster::isRunning).orElse(false)) {
      clusters.stop(request.name()); // a different version under the demo's name
    }
    return clusters.provision(request);
  }
}
