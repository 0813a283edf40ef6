package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalClusters;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.LocalProxies;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code migrate demo}: the whole journey on real local clusters it provisions itself, each step run as the command a
 * user would type (printed before it runs) and its result printed after: assess, capture through the proxy while
 * clients keep writing, a snapshot taken while they write, metadata, backfill, replay until drained, validation, then
 * reset and the clusters stopped. Exit 0 only when validation passes and every step did its part.
 *
 * <pre>
 * ./migrate demo
 * ./migrate demo --source-version 6.8.23 --keep-clusters
 * </pre>
 */
@Command(name = "demo", description = {
    "Run the whole migration journey on local clusters it provisions: assess, capture through the proxy (a local Kafka) "
        + "while clients keep writing, a snapshot taken meanwhile, metadata, backfill, replay until drained, validation, "
        + "then reset. Each step prints the command it runs and its result; exit 0 only when validation passes.",
    "What it creates is removed at the end (reports are kept under MIGRATE_HOME/demo/); the clusters are stopped "
        + "unless --keep-clusters."})
final class DemoCommand implements Callable<Integer> {
  static final String SOURCE_NAME = "demo-source";
  static final String TARGET_NAME = "demo-target";
  static final String PROXY_NAME = "demo-proxy";
  static final String KAFKA_NAME = "demo-kafka";
  static final String TOPIC = "demo-capture";
  static final String SNAPSHOT = "demo-snapshot";
  /** The index the live clients write to through the proxy. */
  static final String LIVE_INDEX = "demo_live";
  private static final int STEPS = 12;
  /** The engine's name before a version, as {@link ClusterVersion#parse} reads it. */
  private static final Pattern ENGINE = Pattern.compile("(?i)\\s*(elasticsearch|opensearch|es|os)?[\\s_-]*v?");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--source-version", defaultValue = "7.10.2", description = "the source: an Elasticsearch version "
      + "('6.8.23', 'ES 8.15.0') or an OpenSearch one ('OS 1.3.20') (default: ${DEFAULT-VALUE})")
  String sourceVersion;

  @Option(names = "--target-version", defaultValue = "2.19.1", description = "OpenSearch version of the target (default: ${DEFAULT-VALUE})")
  String targetVersion;

  @Option(names = "--docs", defaultValue = "10000", description = "sample documents to load before deletes (default: ${DEFAULT-VALUE})")
  int documents;

  @Option(names = "--runner", defaultValue = "direct", description = "direct or flink-local (default: ${DEFAULT-VALUE})")
  String runner;

  @Option(names = "--keep-clusters", description = "leave the source and target running at the end, to look around")
  boolean keepClusters;

  private PrintWriter out;
  private PrintWriter err;
  private Path dir;
  private Path reports;
  private Map<String, String> env;
  private int step;
  private final List<String> problems = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    long started = System.nanoTime();
    LocalClusters clusters = ClustersCommand.clusters(err);
    dir = clusters.home().resolve("demo").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    reports = dir.resolve("reports");
    Files.createDirectories(reports);
    env = environment(dir.resolve("state"), reports);
    boolean validated = false;
    Journey journey = null;
    try {
      header("clusters");
      ClusterRequest sourceRequest = sourceCluster(sourceVersion);
      ClusterRequest targetRequest = targetCluster(targetVersion);
      LocalCluster source = ensure(clusters, sourceRequest);
      LocalCluster target = ensure(clusters, targetRequest);
      journey = new Journey(source, target);
      result("source " + source + ", target " + target);
      validated = journey.runSteps();
    } catch (StepFailed e) {
      problems.add(e.getMessage());
    } finally {
      cleanUp(clusters, journey);
    }
    boolean pass = validated && problems.isEmpty();
    out.printf(Locale.ROOT, "%ndemo %s in %.0f s%s%n", pass ? "PASSED: the target holds exactly what the source holds"
        : "FAILED", (System.nanoTime() - started) / 1e9, pass ? "" : ": " + String.join("; ", problems));
    out.println("reports kept in " + reports);
    out.flush();
    return pass ? 0 : Migrate.RUN_FAILED;
  }

  /** The steps between provisioning and reset, on these clusters. */
  private final class Journey {
    final LocalCluster source;
    final LocalCluster target;
    final String indices;
    String kafka;
    String proxy;
    DemoWriter writer;

    Journey(LocalCluster source, LocalCluster target) {
      this.source = source;
      this.target = target;
      this.indices = String.join(",", SampleData.LOGS, SampleData.PRODUCTS, SampleData.USERS, LIVE_INDEX);
    }

    /** Runs assess to validation; true when validation passed. */
    boolean runSteps() throws Exception {
      header("sample data into the source (directly, as it was before the migration)");
      ClusterClient sourceClient = ClusterClient.connect(source.endpoint());
      Map<String, Long> loaded = new SampleData(sourceClient, err::println).load(documents);
      boolean typeless = ClusterVersion.detect(sourceClient).isOpenSearch() || ClusterVersion.detect(sourceClient).major() >= 7;
      createLiveIndex(sourceClient, typeless);
      ClusterClient targetClient = ClusterClient.connect(target.endpoint());
      for (String index : indices.split(",")) {
        targetClient.delete("/" + index); // the demo may run again on clusters kept from an earlier run
      }
      result("loaded " + loaded + " and created '" + LIVE_INDEX + "' for the live clients");

      header("assess the source against the target");
      result(lastLine(command("assess", "--source", source.url(), "--target", target.url(), "--indices", indices)));

      header("capture: a local Kafka, the capture proxy in front of the source, clients writing through it");
      kafka = command("kafka", "start-local", "--name", KAFKA_NAME, "--port", "0").strip();
      int listen = LocalProcesses.freePort(Set.of());
      int admin = LocalProcesses.freePort(Set.of(listen));
      String listening = command("proxy", "start", "--name", PROXY_NAME, "--listen", "127.0.0.1:" + listen, "--source",
          source.url(), "--target", target.url(), "--kafka", kafka, "--topic", TOPIC, "--admin", "127.0.0.1:" + admin).strip();
      proxy = listening.startsWith("http") ? listening : "http://" + listening;
      writer = DemoWriter.start(proxy, LIVE_INDEX, typeless, 2);
      writer.awaitRequests(60);
      result("Kafka at " + kafka + ", proxy at " + proxy + " -> " + source.url() + " capturing to topic '" + TOPIC
          + "'; " + writer.requests() + " requests so far from 2 clients");

      header("snapshot of the source while the clients keep writing");
      int before = writer.requests();
      Path repository = source.pathRepo().resolve(dir.getFileName().toString());
      command("snapshot", "create", "--source", source.url(), "--repo-path", repository.toString(), "--snapshot", SNAPSHOT,
          "--indices", indices, "--wait");
      writer.awaitRequests(writer.requests() + 60); // writes after the snapshot: only the replay brings them
      writer.stop();
      if (!writer.failures().isEmpty()) {
        throw new StepFailed("the clients' writes through the proxy failed: " + writer.failures().subList(0,
            Math.min(3, writer.failures().size())));
      }
      result("snapshot '" + SNAPSHOT + "' in " + repository + "; " + (writer.requests() - before) + " requests written during "
          + "and after it, " + writer.requests() + " in all, every one answered");

      header("metadata: templates, indices and aliases from the snapshot onto the target");
      result(lastLine(command("metadata", "migrate", "--repo", repository.toString(), "--snapshot", SNAPSHOT, "--target",
          target.url(), "--indices", indices)));

      header("backfill: the snapshot's documents into the target");
      result(lastLine(command("backfill", "--repo", repository.toString(), "--snapshot", SNAPSHOT, "--target", target.url(),
          "--indices", indices, "--runner", runner, "--dead-letter", reports.resolve("dead-letter.ndjson").toString())));

      header("replay: the captured traffic onto the target until drained");
      command("replay", "run", "--kafka", kafka, "--topic", TOPIC, "--target", target.url(), "--source", source.url(),
          "--tuples", reports.resolve("tuples").toString(), "--speedup", "max", "--until-drained", "--progress-every", "2");
      result("every captured request was replayed and committed; a write the snapshot already held can be answered "
          + "differently on the target (200 updated for 201 created, 404 for a delete): ./migrate tuples show --in "
          + reports.resolve("tuples") + " --only-mismatches lists them, validation below says whether the data agree");

      header("validate: the target against the source, document by document");
      for (String index : indices.split(",")) { // what the replay wrote is searchable (a live source would take --settle)
        targetClient.postJson("/" + index + "/_refresh", null);
      }
      // on Flink's mini-cluster, which the demo thereby shows too (the comparison runs on the DirectRunner as well)
      Run validation = run("validate", "clusters", "--source", source.url(), "--target", target.url(), "--indices", indices,
          "--runner", "flink-local", "--html", reports.resolve("validation.html").toString(), "--history", reports.toString());
      Map<String, Long> sourceCounts = SampleData.counts(sourceClient, List.of(indices.split(",")));
      Map<String, Long> targetCounts = SampleData.counts(targetClient, List.of(indices.split(",")));
      out.printf(Locale.ROOT, "  %-20s %12s %12s%n", "INDEX", "SOURCE", "TARGET");
      boolean equal = true;
      for (String index : sourceCounts.keySet()) {
        boolean same = sourceCounts.get(index).equals(targetCounts.get(index));
        equal &= same;
        out.printf(Locale.ROOT, "  %-20s %12d %12d  %s%n", index, sourceCounts.get(index), targetCounts.get(index),
            same ? "equal" : "DIFFERENT");
      }
      boolean passed = validation.code == 0 && equal;
      result(passed ? "validation PASSED: the target holds exactly the source's documents"
          : "validation FAILED (exit " + validation.code + "): see the report above and " + reports.resolve("validation.html"));
      if (!passed) {
        problems.add("validation did not pass");
      }

      header("switchover");
      switchover(this);
      return passed;
    }
  }

  /**
   * Moves the clients to the target: {@code proxy switch --to target} (which checks that the replay's lag is 0 and the
   * validation just recorded passed), then one write through the proxy that must land on the target and not on the
   * source.
   */
  private void switchover(Journey journey) {
    command("proxy", "switch", "--name", PROXY_NAME, "--to", "target", "--kafka", journey.kafka, "--topic", TOPIC,
        "--history", reports.toString());
    String path = "/" + LIVE_INDEX + "/_doc/after-switchover";
    ClusterClient.connect(ClusterEndpoint.of(journey.proxy)).send("PUT", path + "?refresh=true",
        Json.toString(Json.object().put("client", 0).put("n", 0).put("status", "after switchover"))
            .getBytes(StandardCharsets.UTF_8), ClusterClient.JSON, Duration.ofSeconds(30)).requireSuccess();
    boolean onTarget = ClusterClient.connect(journey.target.endpoint()).get(path).isSuccess();
    boolean onSource = ClusterClient.connect(journey.source.endpoint()).get(path).isSuccess();
    if (!onTarget || onSource) {
      throw new StepFailed("a write through the proxy after the switch should be on the target only; it is on "
          + (onTarget ? "the target" : "not the target") + " and " + (onSource ? "the source" : "not the source"));
    }
    result("the proxy now sends clients' requests to " + journey.target.url() + ": a write through it landed on the target "
        + "only (./migrate proxy switch --to source rolls back)");
  }

  /** Stops the clients, runs reset for what the demo created, stops the clusters, and says what is left running. */
  private void cleanUp(LocalClusters clusters, Journey journey) {
    step = STEPS - 2;
    header("reset: remove what the migration created, keep the reports");
    if (journey != null && journey.writer != null) {
      try {
        journey.writer.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (journey != null) {
      List<String> reset = new ArrayList<>(List.of("reset", "--yes", "--source", journey.source.url(), "--topic", TOPIC));
      if (journey.kafka != null) {
        reset.addAll(List.of("--kafka", journey.kafka));
      }
      Run run = run(reset.toArray(String[]::new));
      result(run.code == 0 ? "removed: the proxy, the snapshot and its registration, the topic and consumer group, the "
          + "Kafka broker and the demo's state; kept: the reports" : "reset FAILED (exit " + run.code + ")");
      if (run.code != 0) {
        problems.add("reset failed");
      }
    }
    header("clusters stopped");
    if (keepClusters) {
      result("kept running (--keep-clusters): stop them with ./migrate clusters stop --name " + SOURCE_NAME
          + " && ./migrate clusters stop --name " + TARGET_NAME);
    } else {
      for (String name : List.of(SOURCE_NAME, TARGET_NAME)) {
        if (clusters.find(name).map(LocalCluster::isRunning).orElse(false)) {
          clusters.stop(name);
        }
      }
    }
    List<String> left = leftRunning(clusters);
    if (!left.isEmpty() && !(keepClusters && left.stream().allMatch(l -> l.startsWith("cluster")))) {
      problems.add("still running: " + left);
    }
    result("left running: " + (left.isEmpty() ? "nothing" : String.join(", ", left)));
  }

  /** What the demo may have started that still runs. */
  private List<String> leftRunning(LocalClusters clusters) {
    List<String> left = new ArrayList<>();
    for (String name : List.of(SOURCE_NAME, TARGET_NAME)) {
      clusters.find(name).filter(LocalCluster::isRunning).ifPresent(c -> left.add("cluster " + c));
    }
    ProxyCommand.proxies(err).find(PROXY_NAME).filter(LocalProxies.Proxy::isRunning)
        .ifPresent(p -> left.add("proxy '" + PROXY_NAME + "' (pid " + p.pid() + ")"));
    KafkaCommand.launcher(err).find(KAFKA_NAME).filter(LocalKafka.Broker::isRunning)
        .ifPresent(k -> left.add("Kafka broker '" + KAFKA_NAME + "' (pid " + k.pid() + ")"));
    return left;
  }

  /** The index the clients write to, created on the source before capture starts (so the snapshot holds it). */
  private static void createLiveIndex(ClusterClient source, boolean typeless) {
    source.delete("/" + LIVE_INDEX);
    String mapping = "{\"properties\":{\"client\":{\"type\":\"integer\"},\"n\":{\"type\":\"integer\"},"
        + "\"status\":{\"type\":\"keyword\"}}}";
    source.putJson("/" + LIVE_INDEX, Json.parse("{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},"
        + "\"mappings\":" + (typeless ? mapping : "{\"doc\":" + mapping + "}") + "}")).requireSuccess();
  }

  /** The last line a command printed: its verdict. */
  private static String lastLine(String printed) {
    List<String> lines = printed.strip().lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  private void header(String what) {
    step++;
    out.printf(Locale.ROOT, "%n== %d/%d %s%n", step, STEPS, what);
    out.flush();
  }

  private void result(String what) {
    out.println("-> " + what);
    out.flush();
  }

  /** Runs a command that must succeed and returns what it printed on stdout (also shown). */
  private String command(String... args) {
    Run run = run(args);
    if (run.code != 0) {
      throw new StepFailed("'migrate " + args[0] + (args.length > 1 && !args[1].startsWith("-") ? " " + args[1] : "")
          + "' failed (exit " + run.code + "); its messages are above");
    }
    return run.out;
  }

  /** Runs one command of this console, as a user would type it, in the demo's folder and environment. */
  private Run run(String... args) {
    out.println("$ ./migrate " + String.join(" ", args));
    out.flush();
    StringWriter captured = new StringWriter();
    int code = Migrate.execute(new PrintWriter(captured, true), err, env, dir, args);
    out.print(captured);
    out.flush();
    return new Run(code, captured.toString());
  }

  private record Run(int code, String out) {}

  /** A step that could not do its part; the demo goes on to clean up. */
  private static final class StepFailed extends RuntimeException {
    StepFailed(String message) {
      super(message);
    }
  }

  /**
   * The environment the demo's commands see: the user's, without any migration setting that would point them at
   * another migration (MIGRATE_CONFIG, MIGRATE_SOURCE_ENDPOINT, ...), with the demo's own state folder (what
   * {@code snapshot create} records for reset) and reports folder.
   */
  private static Map<String, String> environment(Path state, Path reports) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove(MigrationConfig.CONFIG_ENV);
    for (MigrationConfig.Key key : MigrationConfig.KEYS) {
      env.remove(key.envName());
      if (key.name().equals("state_dir")) {
        env.put(key.envName(), state.toString());
      } else if (key.name().equals("reports_dir")) {
        env.put(key.envName(), reports.toString());
      }
    }
    return env;
  }

  /** The source to provision for "7.10.2" or "ES 7.10.2" (Elasticsearch), "OS 1.3.20" or "opensearch 1.3.20". */
  static ClusterRequest sourceCluster(String version) {
    Distribution distribution = ClusterVersion.parse(version).isOpenSearch() ? Distribution.OPENSEARCH : Distribution.ELASTICSEARCH;
    return ClusterRequest.of(distribution, versionNumber(version)).withName(SOURCE_NAME);
  }

  /** The target to provision for "2.19.1" or "OS 2.19.1"; OpenSearch only, since that is what the project migrates to. */
  static ClusterRequest targetCluster(String version) {
    Matcher engine = ENGINE.matcher(version);
    if (engine.lookingAt() && engine.group(1) != null && !ClusterVersion.parse(version).isOpenSearch()) {
      throw new UserError("--target-version '" + version + "': the target is OpenSearch; give an OpenSearch version such as "
          + "2.19.1 (an Elasticsearch cluster can be the source: --source-version)");
    }
    String number = versionNumber(version);
    // for 2.19 the common modules (analysis-common, mapper-extras, ...) are pinned: a target closer to a real one
    return ClusterRequest.of(Distribution.OPENSEARCH, number).withName(TARGET_NAME).withModules(number.startsWith("2.19."));
  }

  /** "OS 1.3.20" -> "1.3.20"; the version as the launcher downloads it. */
  private static String versionNumber(String version) {
    ClusterVersion.parse(version); // a clear error for what is not a version at all
    Matcher engine = ENGINE.matcher(version);
    return (engine.lookingAt() ? version.substring(engine.end()) : version).strip();
  }

  /** Reuses a healthy cluster of that name and version (kept by --keep-clusters), else provisions it. */
  private LocalCluster ensure(LocalClusters clusters, ClusterRequest request) {
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
