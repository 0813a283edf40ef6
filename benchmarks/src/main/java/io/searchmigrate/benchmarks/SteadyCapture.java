package io.searchmigrate.benchmarks;

import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.pipelines.replay.ReplayJob;
import io.searchmigrate.pipelines.replay.ReplayOptions;
import io.searchmigrate.pipelines.replay.ReplayProgress;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The replay's lag under a steady capture at the source's pace: a producer writes capture records to the topic as the
 * proxy would (C connections taking turns, R requests a second in all, timestamps taken as they are written; a
 * connection closes after its requests and a new one takes its place) while the replay runs with the captured timing
 * ({@code --speedup 1}). The lag (records on the topic its group has not committed, what {@code replay status} says)
 * is sampled every few seconds; the run reports its maximum and mean and compares the last third of the samples with
 * the first (a lag that grows means the replay falls behind). At the end the producer stops, the replay drains and
 * the target must hold every document written.
 *
 * <pre>{@code
 * SteadyCapture.run(kafka, client, targetUrl, "direct", 16, 200, 4, 50, 3, 5, 16, List.of());
 * }</pre>
 */
final class SteadyCapture {
  private SteadyCapture() {}

  static void run(LocalKafka.Broker kafka, ClusterClient client, String target, String runner, int connections,
      int requestsPerConnection, int partitions, int rate, int minutes, int sampleSeconds, int concurrency,
      List<String> beamOptions) throws Exception {
    String topic = "bench-steady-" + System.currentTimeMillis();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    ReplayBenchmark.recreate(client);
    String group = "bench-steady-" + System.nanoTime();
    Path tuples = Files.createTempDirectory("bench-tuples");
    List<String> args = new ArrayList<>(ReplayBenchmark.runnerArgs(runner, concurrency));
    args.addAll(List.of("--kafka=" + kafka.bootstrap(), "--topic=" + topic, "--group=" + group, "--target=" + target,
        "--sourceVersion=7.10.2", "--speedup=1", "--tuples=" + tuples));
    args.addAll(beamOptions);
    ReplayOptions options = RunnerPresets.parse(args, ReplayOptions.class);
    Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    ReplayJob job = new ReplayJob(options, line -> { });
    PipelineResult running = job.start();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong written = new AtomicLong();
    Thread producer = new Thread(() -> produce(kafka, topic, connections, requestsPerConnection, rate, stop, written),
        "steady-capture");
    List<Long> lags = new ArrayList<>();
    long drainMillis;
    try {
      long start = System.nanoTime();
      producer.start();
      long end = start + minutes * 60_000_000_000L;
      long next = start;
      while (System.nanoTime() < end) {
        next += sampleSeconds * 1_000_000_000L;
        Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        long lag = ReplayProgress.lag(config, topic, group);
        lags.add(lag);
        System.err.printf(Locale.ROOT, "  %5.0f s: %,d requests captured, %,d replayed, lag %,d records%n",
            (System.nanoTime() - start) / 1e9, written.get(), job.counts(running).replayed(), lag);
      }
      stop.set(true);
      producer.join();
      long drainStart = System.nanoTime();
      long drainDeadline = drainStart + 300_000_000_000L;
      while (ReplayProgress.lag(config, topic, group) > 0) {
        if (System.nanoTime() > drainDeadline) {
          throw new IllegalStateException("the replay did not drain within 5 minutes after the capture stopped");
        }
        Thread.sleep(200);
      }
      drainMillis = (System.nanoTime() - drainStart) / 1_000_000;
    } finally {
      stop.set(true);
      running.cancel();
      BenchmarkFiles.deleteTree(tuples);
    }
    client.postJson("/" + ReplayBenchmark.INDEX + "/_refresh", null).requireSuccess();
    long count = client.getJson("/" + ReplayBenchmark.INDEX + "/_count").path("count").asLong();
    if (count != written.get()) {
      throw new IllegalStateException("the target holds " + count + " documents, " + written.get() + " were captured");
    }
    int third = Math.max(1, lags.size() / 3);
    double firstThird = lags.subList(0, third).stream().mapToLong(Long::longValue).average().orElse(0);
    double lastThird = lags.subList(lags.size() - third, lags.size()).stream().mapToLong(Long::longValue).average()
        .orElse(0);
    long max = lags.stream().mapToLong(Long::longValue).max().orElse(0);
    double mean = lags.stream().mapToLong(Long::longValue).average().orElse(0);
    // a lag that stays within what arrives in a few seconds is bounded whatever it does; beyond, it must not climb
    boolean grew = lastThird > Math.max(1.5 * firstThird, 2.0 * rate * sampleSeconds);
    System.out.printf(Locale.ROOT, "%nReplay lag under a steady capture: %d min at %d requests/s (%d connections taking "
        + "turns, 2 records a request), runner %s, --speedup 1, lag sampled every %d s, load average %s%n", minutes, rate,
        connections, runner, sampleSeconds, LoadFigures.loadAverage());
    System.out.printf(Locale.ROOT, "| %-44s | %14s |%n", "measure", "value");
    System.out.printf(Locale.ROOT, "|%s|%s|%n", "-".repeat(46), "-".repeat(16));
    System.out.printf(Locale.ROOT, "| %-44s | %,14d |%n", "requests captured (and found on the target)", written.get());
    System.out.printf(Locale.ROOT, "| %-44s | %,14d |%n", "lag samples", lags.size());
    System.out.printf(Locale.ROOT, "| %-44s | %,14d |%n", "maximum lag (records)", max);
    System.out.printf(Locale.ROOT, "| %-44s | %,14.0f |%n", "mean lag (records)", mean);
    System.out.printf(Locale.ROOT, "| %-44s | %,14.0f |%n", "mean lag, first third of the run", firstThird);
    System.out.printf(Locale.ROOT, "| %-44s | %,14.0f |%n", "mean lag, last third of the run", lastThird);
    System.out.printf(Locale.ROOT, "| %-44s | %14s |%n", "lag grew over the run", grew ? "YES" : "no");
    System.out.printf(Locale.ROOT, "| %-44s | %,14.1f |%n", "drained after the capture stopped (s)", drainMillis / 1000.0);
  }

  /** Capture records at {@code rate} requests a second until {@code stop}, as the proxy writes them. */
  private static void produce(LocalKafka.Broker kafka, String topic, int connections, int requestsPerConnection,
      int rate, AtomicBoolean stop, AtomicLong written) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(), ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      int[] generation = new int[connections];
      int[] requestIndex = new int[connections];
      long[] sequence = new long[connections];
      long start = System.nanoTime();
      for (long k = 0; !stop.get(); k++) {
        long due = start + k * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        int c = (int) (k % connections);
        String id = "steady." + c + "." + generation[c];
        long now = System.currentTimeMillis() * 1000;
        List<CaptureRecord> records = new ArrayList<>();
        if (requestIndex[c] == 0) {
          records.add(new CaptureRecord(CaptureFormat.VERSION, false, sequence[c]++, "bench", id,
              List.of(new CaptureRecord.Open(now, "127.0.0.1:" + (5000 + c), "127.0.0.1:9200", false))));
        }
        int r = requestIndex[c]++;
        String path = "/" + ReplayBenchmark.INDEX + "/_doc/" + id + "-" + r;
        byte[] body = ReplayBenchmark.document(c, r);
        byte[] head = ("PUT " + path + " HTTP/1.1\r\nHost: source:9200\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        String answer = "{\"_index\":\"" + ReplayBenchmark.INDEX + "\",\"result\":\"created\"}";
        records.add(new CaptureRecord(CaptureFormat.VERSION, false, sequence[c]++, "bench", id, List.of(
            new CaptureRecord.RequestBytes(now, request),
            new CaptureRecord.RequestEnd(now + 50, r, "PUT", path, true))));
        boolean last = requestIndex[c] == requestsPerConnection;
        records.add(new CaptureRecord(CaptureFormat.VERSION, false, sequence[c]++, "bench", id, List.of(
            new CaptureRecord.ResponseBytes(now + 2_000, ("HTTP/1.1 201 Created\r\ncontent-type: application/json\r\n"
                + "content-length: " + answer.length() + "\r\n\r\n" + answer).getBytes(StandardCharsets.UTF_8)),
            new CaptureRecord.ResponseEnd(now + 2_050, r, 201))));
        if (last) {
          records.add(new CaptureRecord(CaptureFormat.VERSION, true, sequence[c], "bench", id,
              List.of(new CaptureRecord.Close(now + 2_100, CaptureFormat.CLOSED_BY_CLIENT))));
          generation[c]++;
          requestIndex[c] = 0;
          sequence[c] = 0;
        }
        for (CaptureRecord record : records) {
          producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), record.encode()));
        }
        written.incrementAndGet();
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
