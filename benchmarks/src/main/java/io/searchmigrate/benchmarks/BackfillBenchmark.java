package io.searchmigrate.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalClusters;
import io.searchmigrate.launcher.LocalFlink;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.pipelines.backfill.BackfillJob;
import io.searchmigrate.pipelines.backfill.BackfillOptions;
import io.searchmigrate.pipelines.backfill.BackfillSummary;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.snapshot.blob.Repositories;
import io.searchmigrate.snapshot.lucene.ShardDocumentReader;
import io.searchmigrate.snapshot.lucene.ShardReaders;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import io.searchmigrate.snapshot.creation.SnapshotCreator;
import io.searchmigrate.testkit.TestS3;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.transforms.metadata.MetadataTransformer;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Backfill throughput next to the target's own ceiling, in one run on one machine:
 * <ol>
 *   <li>a real Elasticsearch 7.10.2 source gets N documents of about 1 KB (4 shards), and a snapshot;</li>
 *   <li><b>baseline</b>: the same documents, read from that snapshot beforehand and pre-built into the same NDJSON
 *       bulk bodies the backfill sends (same batch size), are POSTed to OpenSearch 2.19.1 by C concurrent clients;</li>
 *   <li><b>backfill</b>: {@code migrate backfill} of the snapshot into the same target with parallelism C, with a
 *       progress ledger as the console always keeps one (each slice transformed and written where it is read), in a
 *       folder of the benchmark's own that is cleared before each backfill and removed at the end; {@code --no-ledger}
 *       measures {@code BackfillJob} run on its own without one (separate transform and sink steps);</li>
 *   <li><b>fixed cost</b>: the same backfill of a one-document snapshot (planning, starting the pipeline or submitting
 *       the Flink job, index creation, shutdown), so the rate once it is left out is stated apart.</li>
 * </ol>
 * Both write into a fresh index with the same definition; the rounds alternate (after a warm-up round) and the
 * medians are compared. The ratio backfill/baseline is the figure that survives noisy machines.
 *
 * <pre>java ... BackfillBenchmark [--docs 200000] [--concurrency 2] [--rounds 3] [--runner direct|flink-local|flink] [--s3]
 *     [--no-ledger] [--backfill-arg --name=value ...]
 *     [--delta PERCENT]</pre>
 *
 * <p>{@code --prepare-only} loads and snapshots the source (kept for later runs), prints the repository and the target's
 * address, and stops: what a measurement of the {@code migrate backfill} command itself needs.
 *
 * <p>{@code --s3} also backfills, in every round, the same repository served by s3proxy on loopback.
 *
 * <p>{@code --delta P} then changes P % of the source (a third updated, a third deleted, a third new), takes a second
 * snapshot and times a delta backfill from the first snapshot against a full backfill of the second. The source
 * index is dropped afterwards, so the next run loads it afresh.
 */
public final class BackfillBenchmark {
  static final String INDEX = "bench";
  static final String SNAPSHOT = "bench-snap";
  /** A one-document index and its snapshot in the same repository: the backfill's fixed cost on each runner. */
  static final String ONE_INDEX = "bench-one";
  static final String ONE_SNAPSHOT = "bench-one-snap";

  public static void main(String[] args) throws Exception {
    int docs = intArg(args, "--docs", 200_000);
    int concurrency = intArg(args, "--concurrency", 2);
    int rounds = intArg(args, "--rounds", 3);
    int batchDocs = intArg(args, "--batch-docs", 5_000);
    String runner = stringArg(args, "--runner", "direct");
    boolean fromS3 = java.util.Arrays.asList(args).contains("--s3");
    int deltaPercent = intArg(args, "--delta", 0);

    LocalClusters clusters = new LocalClusters(ProcessSupervisor.defaultHome(), line -> System.err.println("[clusters] " + line));
    LocalCluster source = running(clusters, ClusterRequest.of(Distribution.ELASTICSEARCH, "7.10.2").withName("bench-source"));
    LocalCluster target = running(clusters, ClusterRequest.of(Distribution.OPENSEARCH, "2.19.1").withName("bench-target"));
    ClusterClient sourceClient = ClusterClient.connect(source.endpoint());
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());

    Path repository = source.pathRepo().resolve("bench-" + docs);
    prepareSource(sourceClient, docs, repository);
    if (java.util.Arrays.asList(args).contains("--prepare-only")) {
      // for measuring the backfill command itself (peak RSS, CPU): the snapshot is all it needs
      System.out.println("repository " + repository + " snapshot " + SNAPSHOT + " target " + target.url());
      return;
    }

    // the documents exactly as the backfill will send them, in the same batches
    List<SourceDocument> documents = new ArrayList<>();
    IndexMetadata indexMetadata;
    try (SnapshotRepository repo = SnapshotRepository.open(Repositories.open(repository.toString()))) {
      RepositoryData.SnapshotEntry snap = repo.snapshot(SNAPSHOT);
      indexMetadata = repo.indexMetadata(snap, INDEX);
      for (int shard = 0; shard < indexMetadata.numberOfShards(); shard++) {
        try (ShardDocumentReader reader = ShardReaders.open(repo.blobs(), repo.shard(snap, INDEX, shard), null, false)) {
          reader.read(0, reader.maxDoc(), documents::add);
        }
      }
    }
    List<byte[]> bodies = bulkBodies(documents, batchDocs);
    long sourceBytes = documents.stream().mapToLong(d -> d.source().length).sum();
    // the same definition the backfill creates the index with
    ObjectNode createBody = new MetadataTransformer(ClusterVersion.detect(sourceClient), ClusterVersion.detect(targetClient),
        MigrationOptions.defaults()).index(indexMetadata).get(0).body();
    System.err.printf(Locale.ROOT, "%d documents, %.1f MB of source, %d bulk bodies of <= %d documents%n", documents.size(),
        sourceBytes / 1e6, bodies.size(), batchDocs);

    List<String> runnerArgs = new ArrayList<>(runnerArgs(runner, concurrency));
    boolean ledger = !java.util.Arrays.asList(args).contains("--no-ledger");
    Path stateRoot = clusters.home().resolve("bench-backfill-state");
    BenchmarkFiles.deleteTree(stateRoot);
    if (ledger) {
      // as the console runs it: a ledger under a state root, started afresh by every backfill (deltas keep none)
      runnerArgs.addAll(List.of("--stateRoot=" + stateRoot, "--restart=true"));
    }
    // --backfill-arg --name=value (repeatable): a pipeline option given to every backfill of the run, to measure it
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--backfill-arg")) {
        runnerArgs.add(args[i + 1]);
      }
    }
    // --s3: the same repository served by s3proxy on loopback, backfilled in each round too
    String s3Repository = null;
    String s3Prefix = "repo-" + docs + "-" + System.currentTimeMillis();
    if (fromS3) {
      TestS3.useServerCredentials();
      TestS3.deleteAll("bench", "repo-"); // earlier runs' copies (a run that died kept its own)
      s3Repository = TestS3.upload(repository, "bench", s3Prefix);
    }
    List<Double> baseline = new ArrayList<>();
    List<Double> backfill = new ArrayList<>();
    List<Double> backfillS3 = new ArrayList<>();
    List<Double> fixedSeconds = new ArrayList<>();
    List<Double> withoutFixed = new ArrayList<>();
    // --rounds 0: no throughput rounds (only what follows them, such as --delta)
    for (int round = 0; rounds > 0 && round <= rounds; round++) {
      boolean warmUp = round == 0;
      recreate(targetClient, createBody);
      double b = baselineDocsPerSecond(targetClient, bodies, documents.size(), concurrency);
      targetClient.delete("/" + INDEX);
      double f = backfill(runnerArgs, repository.toString(), SNAPSHOT, List.of(), target, batchDocs, clusters, documents.size());
      // the fixed cost: the same job for one document (planning, pipeline or job start, index creation, shutdown)
      targetClient.delete("/" + ONE_INDEX);
      double fixed = backfillSeconds(runnerArgs, repository.toString(), ONE_SNAPSHOT, List.of(), target, batchDocs,
          clusters, 1);
      targetClient.delete("/" + ONE_INDEX);
      double withoutFixedCost = documents.size() / Math.max(0.001, documents.size() / f - fixed);
      double f3 = Double.NaN;
      if (s3Repository != null) {
        targetClient.delete("/" + INDEX);
        f3 = backfill(runnerArgs, s3Repository, SNAPSHOT, List.of("--s3Endpoint=" + TestS3.endpoint(), "--s3Region=" + TestS3.REGION),
            target, batchDocs, clusters, documents.size());
      }
      System.err.printf(Locale.ROOT, "%s round %d: baseline %,.0f docs/s, backfill %,.0f docs/s (fixed cost %.1f s)%s%n",
          warmUp ? "warm-up" : "measured", round, b, f, fixed, s3Repository == null ? "" : String.format(Locale.ROOT, ", from S3 %,.0f docs/s", f3));
      if (!warmUp) {
        baseline.add(b);
        backfill.add(f);
        fixedSeconds.add(fixed);
        withoutFixed.add(withoutFixedCost);
        if (s3Repository != null) {
          backfillS3.add(f3);
        }
      }
    }
    if (rounds > 0) {
      printRounds(baseline, backfill, backfillS3, fixedSeconds, withoutFixed, sourceBytes / 1e6 / documents.size(), documents.size(), concurrency, rounds,
          runner, ledger ? "with a progress ledger, as the console runs it" : "no ledger (BackfillJob on its own)");
    }
    if (s3Repository != null) {
      TestS3.deleteAll("bench", s3Prefix + "/");
    }
    if (deltaPercent > 0) {
      measureDelta(runnerArgs, repository, sourceClient, targetClient, target, batchDocs, clusters, docs, deltaPercent);
    }
    BenchmarkFiles.deleteTree(stateRoot);
  }

  private static void printRounds(List<Double> baseline, List<Double> backfill, List<Double> backfillS3,
      List<Double> fixedSeconds, List<Double> withoutFixed, double mb, int docs,
      int concurrency, int rounds, String runner, String how) {
    double baseMedian = median(baseline);
    double fillMedian = median(backfill);
    System.out.printf(Locale.ROOT, "%nBackfill into OpenSearch 2.19.1: %,d documents (%.2f KB average source), concurrency %d, "
        + "%d rounds, runner %s, %s%n", docs, mb * 1000, concurrency, rounds, runner, how);
    System.out.printf(Locale.ROOT, "| %-44s | %12s | %8s | %22s |%n", "measure", "docs/s", "MB/s", "rounds (docs/s)");
    System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(14), "-".repeat(10), "-".repeat(24));
    System.out.printf(Locale.ROOT, "| %-44s | %,12.0f | %8.2f | %22s |%n", "baseline: pre-built bulk bodies, " + concurrency + " clients",
        baseMedian, baseMedian * mb, rounds(baseline));
    System.out.printf(Locale.ROOT, "| %-44s | %,12.0f | %8.2f | %22s |%n", "backfill from the snapshot (" + runner + ")",
        fillMedian, fillMedian * mb, rounds(backfill));
    System.out.printf(Locale.ROOT, "| %-44s | %12s | %8s | %22s |%n", "ratio backfill / baseline",
        String.format(Locale.ROOT, "%.2f", fillMedian / baseMedian), "", "");
    System.out.printf(Locale.ROOT, "| %-44s | %12s | %8s | %22s |%n", "fixed cost: a one-document snapshot (s)",
        String.format(Locale.ROOT, "%.1f", median(fixedSeconds)), "", rounds(fixedSeconds, "%.1f"));
    double withoutMedian = median(withoutFixed);
    System.out.printf(Locale.ROOT, "| %-44s | %,12.0f | %8.2f | %22s |%n", "backfill, its fixed cost left out",
        withoutMedian, withoutMedian * mb, rounds(withoutFixed));
    System.out.printf(Locale.ROOT, "| %-44s | %12s | %8s | %22s |%n", "ratio without the fixed cost / baseline",
        String.format(Locale.ROOT, "%.2f", withoutMedian / baseMedian), "", "");
    if (!backfillS3.isEmpty()) {
      double s3Median = median(backfillS3);
      System.out.printf(Locale.ROOT, "| %-44s | %,12.0f | %8.2f | %22s |%n", "backfill from S3 (s3proxy, loopback)",
          s3Median, s3Median * mb, rounds(backfillS3));
      System.out.printf(Locale.ROOT, "| %-44s | %12s | %8s | %22s |%n", "ratio S3 / filesystem",
          String.format(Locale.ROOT, "%.2f", s3Median / fillMedian), "", "");
    }
  }

  /**
   * Snapshot A is the benchmark's; P % of its documents are then changed on the source and snapshot B taken. Times
   * the delta A→B into a target that holds A, then a full backfill of B into a fresh index; both must leave exactly
   * the source's documents.
   */
  private static void measureDelta(List<String> runnerArgs, Path repository, ClusterClient source, ClusterClient target,
      LocalCluster targetCluster, int batchDocs, LocalClusters clusters, int docs, int percent) {
    String snapshotB = SNAPSHOT + "-delta";
    int changed = (int) ((long) docs * percent / 100);
    int updates = changed / 3;
    int deletes = changed / 3;
    int adds = changed - updates - deletes;
    target.delete("/" + INDEX);
    backfill(runnerArgs, repository.toString(), SNAPSHOT, List.of(), targetCluster, batchDocs, clusters, docs);

    // spread the updates and deletes over the whole id range, so most of snapshot A's segments lose documents
    Random random = new Random(11);
    StringBuilder body = new StringBuilder();
    int step = Math.max(1, docs / Math.max(1, updates + deletes));
    for (int n = 0; n < updates + deletes; n++) {
      String id = "doc-" + ((long) n * step % docs);
      if (n % 2 == 0 && n / 2 < updates || n / 2 >= deletes) {
        body.append("{\"index\":{\"_index\":\"" + INDEX + "\",\"_id\":\"" + id + "\"}}\n")
            .append(Json.toString(document(docs + n, random))).append('\n');
      } else {
        body.append("{\"delete\":{\"_index\":\"" + INDEX + "\",\"_id\":\"" + id + "\"}}\n");
      }
    }
    for (int n = 0; n < adds; n++) {
      body.append("{\"index\":{\"_index\":\"" + INDEX + "\",\"_id\":\"new-" + n + "\"}}\n")
          .append(Json.toString(document(docs + n, random))).append('\n');
    }
    source.send("POST", "/_bulk?refresh=true", body.toString().getBytes(StandardCharsets.UTF_8), ClusterClient.NDJSON,
        Duration.ofMinutes(5)).requireSuccess();
    long sourceCount = source.getJson("/" + INDEX + "/_count").path("count").asLong();
    SnapshotCreator snapshots = new SnapshotCreator(source, "bench_repo_" + docs);
    if (snapshots.snapshots().contains(snapshotB)) {
      source.delete("/_snapshot/" + snapshots.repository() + "/" + snapshotB).requireSuccess();
    }
    snapshots.create(snapshotB, List.of(INDEX));
    snapshots.waitFor(snapshotB, Duration.ofSeconds(1), p -> {});

    BackfillSummary delta = runBackfill(runnerArgs, repository.toString(), snapshotB, List.of("--previousSnapshot=" + SNAPSHOT),
        targetCluster, batchDocs, clusters);
    long afterDelta = count(target);
    target.delete("/" + INDEX);
    BackfillSummary full = runBackfill(runnerArgs, repository.toString(), snapshotB, List.of(), targetCluster, batchDocs, clusters);
    long afterFull = count(target);
    // the source changed: drop it and the second snapshot so the next run starts from a clean, known source
    source.delete("/_snapshot/" + snapshots.repository() + "/" + snapshotB).requireSuccess();
    source.delete("/" + INDEX).requireSuccess();
    if (afterDelta != sourceCount || afterFull != sourceCount) {
      throw new IllegalStateException("the source holds " + sourceCount + " documents; after the delta the target held "
          + afterDelta + ", after the full backfill " + afterFull);
    }
    double deltaSeconds = delta.elapsedMillis() / 1000.0;
    double fullSeconds = full.elapsedMillis() / 1000.0;
    System.out.printf(Locale.ROOT, "%nDelta backfill: %d %% of %,d documents changed (%,d updated, %,d deleted, %,d new); "
        + "target checked equal to the source (%,d documents) after each%n", percent, docs, updates, deletes, adds, sourceCount);
    System.out.printf(Locale.ROOT, "| %-44s | %9s | %11s | %9s | %17s |%n", "measure", "seconds", "docs read", "deleted",
        "segments read/all");
    System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(11), "-".repeat(13), "-".repeat(11),
        "-".repeat(19));
    System.out.printf(Locale.ROOT, "| %-44s | %9.1f | %,11d | %,9d | %17s |%n", "full backfill of the second snapshot",
        fullSeconds, full.read(), 0, "all");
    System.out.printf(Locale.ROOT, "| %-44s | %9.1f | %,11d | %,9d | %17s |%n", "delta from the first snapshot", deltaSeconds,
        delta.read(), delta.counts().deleted(), delta.counts().segmentsRead() + "/"
            + (delta.counts().segmentsRead() + delta.counts().segmentsSkipped()));
    System.out.printf(Locale.ROOT, "| %-44s | %9.2f | %11s | %9s | %17s |%n", "ratio delta / full (time)", deltaSeconds / fullSeconds,
        "", "", "");
  }

  private static long count(ClusterClient target) {
    target.postJson("/" + INDEX + "/_refresh", null).requireSuccess();
    return target.getJson("/" + INDEX + "/_count").path("count").asLong();
  }

  /** One backfill of the repository into a fresh index; documents per second of the whole job. */
  static double backfill(List<String> runnerArgs, String repository, String snapshot, List<String> extra,
      LocalCluster target, int batchDocs, LocalClusters clusters, int expected) {
    return expected / backfillSeconds(runnerArgs, repository, snapshot, extra, target, batchDocs, clusters, expected);
  }

  /** One backfill of the repository into a fresh index; seconds of the whole job, which must write every document. */
  private static double backfillSeconds(List<String> runnerArgs, String repository, String snapshot, List<String> extra,
      LocalCluster target, int batchDocs, LocalClusters clusters, int expected) {
    BackfillSummary summary = runBackfill(runnerArgs, repository, snapshot, extra, target, batchDocs, clusters);
    if (summary.written() != expected) {
      throw new IllegalStateException("backfill did not write every document:\n" + summary.render());
    }
    return summary.elapsedMillis() / 1000.0;
  }

  private static BackfillSummary runBackfill(List<String> runnerArgs, String repository, String snapshot, List<String> extra,
      LocalCluster target, int batchDocs, LocalClusters clusters) {
    List<String> jobArgs = new ArrayList<>(runnerArgs);
    jobArgs.addAll(List.of("--repo=" + repository, "--snapshot=" + snapshot, "--target=" + target.url(), "--batchDocs=" + batchDocs,
        "--progressEverySeconds=0", "--deadLetter=" + clusters.home().resolve("bench-dead-letter.ndjson")));
    jobArgs.addAll(extra);
    BackfillSummary summary = new BackfillJob(RunnerPresets.parse(jobArgs, BackfillOptions.class), line -> { }).run();
    if (!summary.isSuccess()) {
      throw new IllegalStateException("backfill failed:\n" + summary.render());
    }
    return summary;
  }

  /**
   * The runner's options: direct, flink-local (the mini-cluster in this JVM) or flink (a session cluster of one
   * TaskManager with {@code concurrency} slots, started here from runner-configs/flink unless it runs already).
   */
  private static List<String> runnerArgs(String runner, int concurrency) {
    switch (runner) {
      case "direct":
        return List.of("--runner=DirectRunner", "--targetParallelism=" + concurrency);
      case "flink-local":
        return List.of("--runner=FlinkRunner", "--parallelism=" + concurrency);
      case "flink":
        LocalFlink flink = new LocalFlink(ProcessSupervisor.defaultHome(), line -> System.err.println("[flink] " + line));
        Path root = LocalProcesses.projectRoot(BackfillBenchmark.class);
        LocalFlink.Session session = flink.find("bench-flink").filter(LocalFlink.Session::isRunning).orElseGet(() -> flink.start(
            LocalFlink.Request.of("bench-flink", LocalFlink.configDir(root)).withSlots(concurrency), LocalFlink.flinkLib(root)));
        return List.of("--runner=FlinkRunner", "--flinkMaster=" + session.master(), "--parallelism=" + concurrency);
      default:
        throw new IllegalArgumentException("--runner " + runner + ": expected direct, flink-local or flink");
    }
  }

  static LocalCluster running(LocalClusters clusters, ClusterRequest request) {
    return clusters.find(request.name()).filter(LocalCluster::isRunning).filter(c -> LocalClusters.health(c) != null)
        .orElseGet(() -> clusters.provision(request));
  }

  /** Loads the source and snapshots it, unless an earlier run already did. */
  static void prepareSource(ClusterClient source, int docs, Path repository) {
    SnapshotCreator snapshots = new SnapshotCreator(source, "bench_repo_" + docs);
    prepareDocuments(source, snapshots, docs, repository);
    if (!snapshots.snapshots().contains(ONE_SNAPSHOT)) {
      source.delete("/" + ONE_INDEX);
      source.putJson("/" + ONE_INDEX, Json.parse("{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}"))
          .requireSuccess();
      source.putJson("/" + ONE_INDEX + "/_doc/one?refresh=true", document(0, new Random(7))).requireSuccess();
      snapshots.create(ONE_SNAPSHOT, List.of(ONE_INDEX));
      snapshots.waitFor(ONE_SNAPSHOT, Duration.ofSeconds(1), p -> {});
    }
  }

  private static void prepareDocuments(ClusterClient source, SnapshotCreator snapshots, int docs, Path repository) {
    ClusterResponse count = source.get("/" + INDEX + "/_count");
    if (count.isSuccess() && count.json().path("count").asLong() == docs) {
      snapshots.registerFilesystemRepository(repository.toString());
      if (snapshots.snapshots().contains(SNAPSHOT)) {
        return;
      }
    } else {
      source.delete("/" + INDEX);
      source.putJson("/" + INDEX, Json.parse("{\"settings\":{\"number_of_shards\":4,\"number_of_replicas\":0,"
          + "\"refresh_interval\":\"30s\"}}")).requireSuccess();
      Random random = new Random(7);
      for (int start = 0; start < docs; start += 5_000) {
        StringBuilder body = new StringBuilder();
        for (int i = start; i < Math.min(docs, start + 5_000); i++) {
          body.append("{\"index\":{\"_index\":\"" + INDEX + "\",\"_id\":\"doc-" + i + "\"}}\n")
              .append(Json.toString(document(i, random))).append('\n');
        }
        source.send("POST", "/_bulk", body.toString().getBytes(StandardCharsets.UTF_8), ClusterClient.NDJSON, Duration.ofMinutes(5))
            .requireSuccess();
      }
      source.postJson("/" + INDEX + "/_refresh", null).requireSuccess();
    }
    snapshots.registerFilesystemRepository(repository.toString());
    if (snapshots.snapshots().contains(SNAPSHOT)) {
      // left by an earlier source whose data is gone: snapshot the documents just loaded instead
      source.delete("/_snapshot/" + snapshots.repository() + "/" + SNAPSHOT).requireSuccess();
    }
    snapshots.create(SNAPSHOT, List.of(INDEX));
    snapshots.waitFor(SNAPSHOT, Duration.ofSeconds(1), p -> {});
  }

  /** About 1 KB: a log-like record with text, numbers, a date and a small nested object. */
  private static JsonNode document(int i, Random random) {
    ObjectNode doc = Json.object().put("@timestamp", "2026-11-" + (10 + i % 18) + "T12:" + (10 + i % 50) + ":00Z")
        .put("host", "host-" + random.nextInt(200)).put("status", 200 + random.nextInt(5) * 100)
        .put("bytes", random.nextInt(1_000_000)).put("latency_ms", random.nextDouble() * 250);
    StringBuilder message = new StringBuilder();
    while (message.length() < 700) {
      message.append("word").append(random.nextInt(5_000)).append(' ');
    }
    doc.put("message", message.toString());
    doc.putObject("user").put("id", random.nextInt(100_000)).put("region", "region-" + random.nextInt(12));
    return doc;
  }

  private static List<byte[]> bulkBodies(List<SourceDocument> documents, int batchDocs) throws Exception {
    List<byte[]> bodies = new ArrayList<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int inBody = 0;
    for (SourceDocument d : documents) {
      body.write(("{\"index\":{\"_index\":\"" + INDEX + "\",\"_id\":\"" + d.id() + "\"}}\n").getBytes(StandardCharsets.UTF_8));
      body.write(Json.toSingleLineJson(d.source()));
      body.write('\n');
      if (++inBody == batchDocs) {
        bodies.add(body.toByteArray());
        body.reset();
        inBody = 0;
      }
    }
    if (inBody > 0) {
      bodies.add(body.toByteArray());
    }
    return bodies;
  }

  private static void recreate(ClusterClient target, ObjectNode createBody) {
    target.delete("/" + INDEX);
    target.putJson("/" + INDEX, createBody).requireSuccess();
  }

  /** Sends every pre-built body with {@code clients} threads; checks that the target took every document. */
  private static double baselineDocsPerSecond(ClusterClient target, List<byte[]> bodies, int docs, int clients) throws Exception {
    ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>(bodies);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      workers.add(pool.submit(() -> {
        for (byte[] body = queue.poll(); body != null; body = queue.poll()) {
          ClusterResponse response = target.send("POST", "/_bulk?filter_path=errors", body, ClusterClient.NDJSON,
              Duration.ofMinutes(5)).requireSuccess();
          if (response.json().path("errors").asBoolean()) {
            throw new IllegalStateException("baseline bulk had item errors");
          }
        }
        return null;
      }));
    }
    for (Future<?> w : workers) {
      w.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    target.postJson("/" + INDEX + "/_refresh", null).requireSuccess();
    long count = target.getJson("/" + INDEX + "/_count").path("count").asLong();
    if (count != docs) {
      throw new IllegalStateException("baseline indexed " + count + " of " + docs + " documents");
    }
    return docs / seconds;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String rounds(List<Double> values) {
    return rounds(values, "%,.0f");
  }

  static String rounds(List<Double> values, String format) {
    List<String> parts = new ArrayList<>();
    values.forEach(v -> parts.add(String.format(Locale.ROOT, format, v)));
    return String.join(" ", parts);
  }

  static int intArg(String[] args, String name, int fallback) {
    String v = stringArg(args, name, null);
    return v == null ? fallback : Integer.parseInt(v);
  }

  static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
