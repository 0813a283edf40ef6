package io.searchmigrate.benchmarks;

import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalClusters;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.pipelines.replay.ReplayJob;
import io.searchmigrate.pipelines.replay.ReplayOptions;
import io.searchmigrate.pipelines.replay.ReplayProgress;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replay throughput next to the target's own rate for the same requests, in one run on one machine:
 * <ol>
 *   <li>a capture topic on a real Kafka broker holds C connections of R document writes each (about 1 KB, as the
 *       capture proxy records them: request and response records per request);</li>
 *   <li><b>baseline</b>: the same requests, pre-built, sent to OpenSearch 2.19.1 by C clients, each its own
 *       connection's requests one after another (the order replay keeps), timed as the replay is;</li>
 *   <li><b>replay</b>: the replay pipeline at {@code --speedup max} from the topic, its rate as the target saw it
 *       (from the first document the target indexed until the last, by the target's count of indexing operations);
 *       its start-up, and the time from the last document until the replay counted and committed every request (the
 *       end of its bundles and the commit interval), are reported apart, then it runs until the lag is 0.</li>
 * </ol>
 * The rounds alternate after a warm-up round and the medians are compared.
 *
 * <p>{@code --runner direct,flink-local} measures both runners, alternating within each round (flink-local: the
 * replay as a streaming job on Flink's mini-cluster in this JVM, started anew each round).
 * {@code --steady-minutes N --rate R} measures the lag instead ({@link SteadyCapture}).
 *
 * <pre>java ... ReplayBenchmark [--runner direct|flink-local|direct,flink-local] [--connections 16] [--requests 200]
 *     [--rounds 3] [--concurrency 16] [--flink-parallelism P] [--partitions 4]
 *     [--steady-minutes N --rate R [--sample-seconds 5]]</pre>
 */
public final class ReplayBenchmark {
  static final String INDEX = "bench-replay";
  /** Flink's parallelism when given ({@code --flink-parallelism}); 0: the flink-local preset's. */
  private static int flinkParallelism;

  public static void main(String[] args) throws Exception {
    int connections = intArg(args, "--connections", 16);
    int requests = intArg(args, "--requests", 200);
    int rounds = intArg(args, "--rounds", 3);
    int concurrency = intArg(args, "--concurrency", connections);
    int partitions = intArg(args, "--partitions", 4);
    List<String> runners = List.of(stringArg(args, "--runner", "direct").split(","));
    for (String runner : runners) {
      runnerArgs(runner, 1); // checked before anything starts
    }
    int steadyMinutes = intArg(args, "--steady-minutes", 0);
    flinkParallelism = intArg(args, "--flink-parallelism", 0);
    List<String> beamOptions = new ArrayList<>();
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--beam")) {
        beamOptions.add(args[i + 1]); // e.g. --beam --experiments=use_deprecated_read
      }
    }

    Path home = ProcessSupervisor.defaultHome();
    LocalClusters clusters = new LocalClusters(home, line -> System.err.println("[clusters] " + line));
    LocalCluster target = clusters.find("bench-target").filter(LocalCluster::isRunning)
        .filter(c -> LocalClusters.health(c) != null)
        .orElseGet(() -> clusters.provision(ClusterRequest.of(Distribution.OPENSEARCH, "2.19.1").withName("bench-target")));
    LocalKafka kafkas = new LocalKafka(home, line -> System.err.println("[kafka] " + line));
    LocalKafka.Broker kafka = kafkas.find("bench-kafka").filter(LocalKafka.Broker::isRunning).orElseGet(() -> kafkas.start(
        "bench-kafka", 0, LocalKafka.brokerLib(LocalProcesses.projectRoot(ReplayBenchmark.class))));
    ClusterClient client = ClusterClient.connect(target.endpoint());
    if (steadyMinutes > 0) {
      SteadyCapture.run(kafka, client, target.url(), runners.get(0), connections, requests, partitions,
          intArg(args, "--rate", 50), steadyMinutes, intArg(args, "--sample-seconds", 5), concurrency, beamOptions);
      return;
    }

    List<List<byte[]>> bodies = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      List<byte[]> ofConnection = new ArrayList<>();
      for (int r = 0; r < requests; r++) {
        ofConnection.add(document(c, r));
      }
      bodies.add(ofConnection);
    }
    String topic = "bench-capture-" + System.currentTimeMillis();
    long records = fillTopic(kafka, topic, bodies, partitions);
    System.err.printf(Locale.ROOT, "topic %s (%d partitions): %d connections x %d requests, %d capture records%n", topic,
        partitions, connections, requests, records);

    List<Double> baseline = new ArrayList<>();
    Map<String, List<Double>> replay = new LinkedHashMap<>();
    Map<String, List<Double>> startup = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    Map<String, List<Double>> tail = new LinkedHashMap<>();
    List<Double> baselineCpu = new ArrayList<>();
    List<Double> baselineTargetCpu = new ArrayList<>();
    Map<String, List<Double>> targetCpu = new LinkedHashMap<>();
    Map<String, List<Double>> brokerCpu = new LinkedHashMap<>();
    long[] pids = {target.pid(), kafka.pid()};
    int total = connections * requests;
    for (int round = 0; round <= rounds; round++) {
      recreate(client);
      double[] measured = baseline(client, bodies, pids);
      double b = measured[0];
      double bCpu = measured[1];
      double bTargetCpu = measured[2];
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s round %d: baseline %,.0f req/s",
          round == 0 ? "warm-up" : "measured", round, b));
      if (round > 0) {
        baseline.add(b);
        baselineCpu.add(bCpu);
        baselineTargetCpu.add(bTargetCpu);
      }
      // the runners alternate within every round, so a change of load on the machine falls on all of them
      List<String> order = new ArrayList<>(runners);
      if (round % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      for (String runner : order) {
        recreate(client);
        double[] r = replay(kafka, topic, "bench-" + runner + "-" + round + "-" + System.nanoTime(), client, total,
            runner, concurrency, beamOptions, pids);
        client.postJson("/" + INDEX + "/_refresh", null).requireSuccess();
        long count = client.getJson("/" + INDEX + "/_count").path("count").asLong();
        if (count != total) {
          throw new IllegalStateException("the replay on " + runner + " left " + count + " documents, expected " + total);
        }
        line.append(String.format(Locale.ROOT, ", %s %,.0f req/s (start-up %.1f s, %.2f ms CPU/request, target %.2f, "
            + "broker %.2f, drained %.1f s after the last)", runner, r[0], r[1], r[2], r[4], r[5], r[3]));
        if (round > 0) {
          replay.computeIfAbsent(runner, k -> new ArrayList<>()).add(r[0]);
          startup.computeIfAbsent(runner, k -> new ArrayList<>()).add(r[1]);
          cpu.computeIfAbsent(runner, k -> new ArrayList<>()).add(r[2]);
          tail.computeIfAbsent(runner, k -> new ArrayList<>()).add(r[3]);
          targetCpu.computeIfAbsent(runner, k -> new ArrayList<>()).add(r[4]);
          brokerCpu.computeIfAbsent(runner, k -> new ArrayList<>()).add(r[5]);
        }
      }
      System.err.println(line);
    }
    double base = median(baseline);
    System.out.printf(Locale.ROOT, "%nReplay into OpenSearch 2.19.1: %d connections x %d document writes (~1 KB), "
        + "runners %s, DirectRunner threads %d, Flink parallelism %s, topic of %d partitions, %d rounds, load average %s%n",
        connections, requests, String.join(" and ", runners), concurrency,
        flinkParallelism > 0 ? Integer.toString(flinkParallelism) : "of its preset (cores)", partitions, rounds,
        LoadFigures.loadAverage());
    String row = "| %-52s | %10s | %24s | %14s | %10s | %10s |%n";
    System.out.printf(Locale.ROOT, row, "measure", "req/s", "rounds (req/s)", "ms CPU/request", "target", "broker");
    System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%n", "-".repeat(54), "-".repeat(12), "-".repeat(26), "-".repeat(16),
        "-".repeat(12), "-".repeat(12));
    System.out.printf(Locale.ROOT, row, "baseline: the requests sent directly, " + connections + " clients",
        String.format(Locale.ROOT, "%,.0f", base), rounds(baseline), figure(median(baselineCpu)),
        figure(median(baselineTargetCpu)), "");
    for (String runner : runners) {
      double rep = median(replay.get(runner));
      System.out.printf(Locale.ROOT, row, "replay on " + runner + " --speedup max", String.format(Locale.ROOT, "%,.0f", rep),
          rounds(replay.get(runner)), figure(median(cpu.get(runner))), figure(median(targetCpu.get(runner))),
          figure(median(brokerCpu.get(runner))));
      System.out.printf(Locale.ROOT, row, "ratio replay on " + runner + " / baseline",
          String.format(Locale.ROOT, "%.2f", rep / base), "", "", "", "");
      System.out.printf(Locale.ROOT, row, "start-up on " + runner + " (s, apart from the rate)",
          String.format(Locale.ROOT, "%.1f", median(startup.get(runner))), rounds(startup.get(runner)), "", "", "");
      System.out.printf(Locale.ROOT, row, "committed after the last request on " + runner + " (s)",
          String.format(Locale.ROOT, "%.1f", median(tail.get(runner))), rounds(tail.get(runner)), "", "", "");
    }
    System.out.println("(req/s, baseline and replay alike: from the first document the target indexed to the last, by its"
        + " count of indexing operations, polled every 50 ms; ms CPU/request: this JVM's CPU time while sending or replaying, divided by the requests; target"
        + " and broker: those processes' CPU time (/proc/<pid>/stat) over the same span, divided by the requests)");
  }

  static byte[] document(int connection, int request) {
    StringBuilder text = new StringBuilder("{\"connection\":" + connection + ",\"request\":" + request + ",\"message\":\"");
    while (text.length() < 1000) {
      text.append("replayed request ").append(request).append(' ');
    }
    return text.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static String path(int connection, int request) {
    return "/" + INDEX + "/_doc/" + connection + "-" + request;
  }

  /** The requests as the capture proxy records them: OPEN, each request and its response, CLOSE. */
  private static long fillTopic(LocalKafka.Broker kafka, String topic, List<List<byte[]>> bodies, int partitions)
      throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    long records = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(), ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      List<List<CaptureRecord>> byConnection = new ArrayList<>();
      for (int c = 0; c < bodies.size(); c++) {
        String id = "bench." + c;
        long t = 1_000_000L;
        long sequence = 0;
        List<CaptureRecord> ofConnection = new ArrayList<>();
        ofConnection.add(new CaptureRecord(CaptureFormat.VERSION, false, sequence++, "bench", id,
            List.of(new CaptureRecord.Open(t, "127.0.0.1:" + (5000 + c), "127.0.0.1:9200", false))));
        for (int r = 0; r < bodies.get(c).size(); r++) {
          byte[] body = bodies.get(c).get(r);
          byte[] head = ("PUT " + path(c, r) + " HTTP/1.1\r\nHost: source:9200\r\nContent-Type: application/json\r\n"
              + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
          byte[] request = new byte[head.length + body.length];
          System.arraycopy(head, 0, request, 0, head.length);
          System.arraycopy(body, 0, request, head.length, body.length);
          String answer = "{\"_index\":\"" + INDEX + "\",\"result\":\"created\"}";
          ofConnection.add(new CaptureRecord(CaptureFormat.VERSION, false, sequence++, "bench", id, List.of(
              new CaptureRecord.RequestBytes(++t, request),
              new CaptureRecord.RequestEnd(++t, r, "PUT", path(c, r), true))));
          ofConnection.add(new CaptureRecord(CaptureFormat.VERSION, false, sequence++, "bench", id, List.of(
              new CaptureRecord.ResponseBytes(++t, ("HTTP/1.1 201 Created\r\ncontent-type: application/json\r\n"
                  + "content-length: " + answer.length() + "\r\n\r\n" + answer).getBytes(StandardCharsets.UTF_8)),
              new CaptureRecord.ResponseEnd(++t, r, 201))));
        }
        ofConnection.add(new CaptureRecord(CaptureFormat.VERSION, true, sequence, "bench", id,
            List.of(new CaptureRecord.Close(++t, CaptureFormat.CLOSED_BY_CLIENT))));
        byConnection.add(ofConnection);
      }
      // interleaved as a live capture is: every connection's k-th record before any (k+1)-th
      for (int k = 0; k < byConnection.get(0).size(); k++) {
        for (List<CaptureRecord> ofConnection : byConnection) {
          CaptureRecord record = ofConnection.get(k);
          producer.send(new ProducerRecord<>(topic, record.connectionId().getBytes(StandardCharsets.UTF_8),
              record.encode()));
          records++;
        }
      }
      producer.flush();
    }
    return records;
  }

  static void recreate(ClusterClient client) {
    client.delete("/" + INDEX);
    client.putJson("/" + INDEX, Json.parse("{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0}}"))
        .requireSuccess();
  }

  /** Requests per second, this JVM's and the target's CPU milliseconds per request, timed as the replay is. */
  private static double[] baseline(ClusterClient target, List<List<byte[]>> bodies, long[] pids) throws Exception {
    int total = bodies.stream().mapToInt(List::size).sum();
    IndexingSpan span = new IndexingSpan(target, total, pids);
    ExecutorService clients = Executors.newFixedThreadPool(bodies.size());
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < bodies.size(); c++) {
      int connection = c;
      running.add(clients.submit(() -> {
        ClusterClient own = ClusterClient.connect(target.endpoint()); // its own connection, as a captured client had
        for (int r = 0; r < bodies.get(connection).size(); r++) {
          ClusterResponse response = own.send("PUT", path(connection, r), bodies.get(connection).get(r), ClusterClient.JSON,
              Duration.ofSeconds(60));
          if (!response.isSuccess()) {
            throw new IllegalStateException(response.status() + " " + response.bodyText());
          }
        }
        return null;
      }));
    }
    while (!span.done()) {
      Thread.sleep(50);
      span.poll("the baseline");
      for (Future<?> f : running) {
        if (f.isDone()) {
          f.get(); // a client that failed fails the run
        }
      }
    }
    for (Future<?> f : running) {
      f.get();
    }
    clients.shutdown();
    return new double[] {span.rate(), span.cpuPerRequest(), span.ticksPerRequest(0)};
  }

  /**
   * The Beam options of a runner the console names: direct with {@code concurrency} worker threads; flink-local as the
   * console runs it (its preset's parallelism, the machine's cores) unless {@code --flink-parallelism} is given.
   */
  static List<String> runnerArgs(String runner, int concurrency) {
    switch (runner) {
      case "direct":
        return List.of("--runner=DirectRunner", "--blockOnRun=false", "--targetParallelism=" + concurrency);
      case "flink-local":
        return flinkParallelism > 0
            ? List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=" + flinkParallelism)
            : List.of("--runner=FlinkRunner", "--flinkMaster=[local]");
      default:
        throw new IllegalArgumentException("--runner takes direct, flink-local or both comma-separated, not " + runner);
    }
  }

  /** A replay whose target indexes nothing for this long has stalled (a restarted job, a lost worker). */
  private static final long STALL_NANOS = 120_000_000_000L;

  /**
   * Requests per second as the target saw them (its count of indexing operations, polled: from the first document
   * indexed until the last), the seconds from the job's start to the first, this JVM's CPU milliseconds per request
   * over the same span, and the seconds from the last document indexed until the replay had counted and committed
   * every request (its bundles' end and the commit interval: latency, not throughput).
   */
  private static double[] replay(LocalKafka.Broker kafka, String topic, String group, ClusterClient target, int total,
      String runner, int concurrency, List<String> beamOptions, long[] pids) throws Exception {
    Path tuples = Files.createTempDirectory("bench-tuples");
    List<String> args = new ArrayList<>(runnerArgs(runner, concurrency));
    args.addAll(List.of("--kafka=" + kafka.bootstrap(), "--topic=" + topic, "--group=" + group,
        "--target=" + target.endpoint().url(), "--sourceVersion=7.10.2", "--speedup=max", "--tuples=" + tuples));
    args.addAll(beamOptions);
    ReplayOptions options = RunnerPresets.parse(args, ReplayOptions.class);
    Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    long start = System.nanoTime();
    ReplayJob job = new ReplayJob(options, line -> { });
    PipelineResult running = job.start();
    IndexingSpan span = new IndexingSpan(target, total, pids);
    long drained;
    try {
      // only the target's count is asked while the replay works: asking the job its counters costs the replay's JVM
      // CPU (on Flink a REST call into the metric store)
      while (!span.done()) {
        Thread.sleep(50);
        long indexed = span.poll("the replay on " + runner);
        trace(start, job, running, indexed);
      }
      while (ReplayProgress.lag(config, topic, group) > 0) {
        Thread.sleep(200);
      }
      drained = System.nanoTime();
      // every request of the topic answered by the target once: a request sent twice (a job restarted from its last
      // checkpoint) finds its document there and is answered 200 where the source said 201
      ReplayProgress.Counts counts = job.counts(running);
      for (long until = System.nanoTime() + 60_000_000_000L; counts.replayed() < total && System.nanoTime() < until; ) {
        Thread.sleep(500); // Flink's web server refreshes the counters it gives every few seconds
        counts = job.counts(running);
      }
      if (counts.replayed() != total || counts.mismatches() != 0) {
        throw new IllegalStateException("the replay on " + runner + " replayed " + counts.replayed() + " requests with "
            + counts.mismatches() + " status mismatches, expected " + total + " with none: did the job restart?");
      }
    } finally {
      running.cancel();
      BenchmarkFiles.deleteTree(tuples);
    }
    return new double[] {span.rate(), (span.first - start) / 1e9, span.cpuPerRequest(), (drained - span.last) / 1e9,
        span.ticksPerRequest(0), span.ticksPerRequest(1)};
  }

  /**
   * The target's count of indexing operations, polled (every 50 ms by its caller) while {@code total} documents are
   * written: when the first and the last were indexed, and the CPU of this JVM and of other processes at both moments.
   * Both the baseline and the replay are timed by it, so both pay the same polling and are measured the same way.
   */
  private static final class IndexingSpan {
    private final ClusterClient target;
    private final int total;
    private final long[] pids;
    private long seen = -1;
    private long movedAt = System.nanoTime();
    long first;
    long last;
    private long cpuAtFirst;
    private long cpuAtLast;
    private long[] ticksAtFirst;
    private long[] ticksAtLast;

    IndexingSpan(ClusterClient target, int total, long[] pids) {
      this.target = target;
      this.total = total;
      this.pids = pids;
    }

    /** Asks the target's count once; fails when it has not moved for {@link #STALL_NANOS}. */
    long poll(String what) {
      long indexed = indexedSoFar(target);
      if (indexed != seen) {
        seen = indexed;
        movedAt = System.nanoTime();
      } else if (System.nanoTime() - movedAt > STALL_NANOS) {
        throw new IllegalStateException(what + " stalled: the target indexed " + indexed + " of " + total
            + " documents and none for " + STALL_NANOS / 1_000_000_000 + " s");
      }
      if (first == 0 && indexed > 0) {
        first = System.nanoTime();
        cpuAtFirst = LoadFigures.processCpuMillis();
        ticksAtFirst = ProxyBenchmark.cpuTicks(pids);
      }
      if (last == 0 && indexed >= total) {
        last = System.nanoTime();
        cpuAtLast = LoadFigures.processCpuMillis();
        ticksAtLast = ProxyBenchmark.cpuTicks(pids);
      }
      return indexed;
    }

    boolean done() {
      return last != 0;
    }

    double rate() {
      return total / ((last - first) / 1e9);
    }

    /** This JVM's CPU milliseconds per request over the span. */
    double cpuPerRequest() {
      return (cpuAtLast - cpuAtFirst) / (double) total;
    }

    /** The CPU milliseconds per request over the span of the i-th process given. */
    double ticksPerRequest(int i) {
      return (ticksAtLast[i] - ticksAtFirst[i]) * 10.0 / total;
    }
  }

  private static String figure(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  /** Documents the target indexed into the benchmark's index so far (no refresh needed). */
  private static long indexedSoFar(ClusterClient target) {
    return target.getJson("/" + INDEX + "/_stats/indexing").at("/_all/primaries/indexing/index_total").asLong();
  }

  private static void trace(long start, ReplayJob job, PipelineResult running, long indexed) {
    if (System.getenv("BENCH_TRACE") != null) {
      ReplayProgress.Counts counts = job.counts(running);
      System.err.printf(Locale.ROOT, "  %.2fs read %d replayed %d committed %d indexed %d%n",
          (System.nanoTime() - start) / 1e9, counts.recordsRead(), counts.replayed(), counts.committedRecords(), indexed);
    }
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String rounds(List<Double> values) {
    return String.join(" ", values.stream().map(v -> String.format(Locale.ROOT, "%,.1f", v)).toList());
  }

  private static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
