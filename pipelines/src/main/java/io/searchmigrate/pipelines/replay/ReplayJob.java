package io.searchmigrate.pipelines.replay;

import io.searchmigrate.pipelines.options.TargetClusterOptions;
import io.searchmigrate.common.LocalPaths;
import io.searchmigrate.common.KeyValueOptions;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.pipelines.ndjson.S3PartsFn;
import io.searchmigrate.pipelines.options.RepositoryLocations;
import io.searchmigrate.pipelines.runners.FlinkJobCounters;
import io.searchmigrate.pipelines.runners.FlinkSubmission;
import io.searchmigrate.pipelines.runners.LocalFlinkRest;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.snapshot.s3.S3Uri;
import io.searchmigrate.transforms.http.CompatibleMediaTypes;
import io.searchmigrate.transforms.http.RequestRewrite;
import io.searchmigrate.transforms.http.RequestRewriter;
import io.searchmigrate.transforms.http.TargetHostAndAuth;
import io.searchmigrate.transforms.http.TypelessRequests;
import io.searchmigrate.transforms.http.UserRules;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Builds and starts the replay: the capture topic read with KafkaIO in a consumer group, then {@link ReplayPipeline},
 * tuples and dead letters written as rotating NDJSON files (in a folder, or as objects in S3).
 *
 * <pre>{@code
 * ReplayOptions options = RunnerPresets.parse(List.of("--kafka=localhost:9092", "--topic=capture",
 *     "--target=http://localhost:9200", "--sourceVersion=7.10.2", "--tuples=/data/tuples"), ReplayOptions.class);
 * PipelineResult running = new ReplayJob(options).start();
 * }</pre>
 *
 * <p>Offsets: a first start commits where it begins ({@code --from}) to the consumer group; from then on
 * {@link CommitAnsweredOffsets} commits only up to records whose requests were all answered, so a new start resumes
 * from the group's committed offsets and replays at most what was in flight.
 *
 * <p>On Flink ({@code --runner=FlinkRunner}, its mini-cluster or a session cluster) the job is started detached, so
 * {@link #start()} returns once it is submitted and its Beam counters are read from the running job. It must
 * checkpoint ({@code --checkpointingInterval}, set by the runner-configs presets): a lost TaskManager then restarts
 * the job from its last checkpoint (reader positions, held records and answered offsets together), and the group's
 * offsets still move only over answered requests.
 */
public final class ReplayJob {
  static final int TUPLE_LINES_PER_FILE = 10_000;
  /** How much the reader fetches from one partition at a time (Kafka's default is 1 MB). */
  static final int REPLAY_PARTITION_FETCH_BYTES = 64 * 1024;
  private final ReplayOptions options;
  private final Consumer<String> log;
  /** On Flink: where its counters are read while it runs. */
  private FlinkJobCounters flinkCounters;

  public ReplayJob(ReplayOptions options) {
    this(options, System.err::println);
  }

  /** @param log where the job says what it submitted (the Flink job id and its web UI link) */
  public ReplayJob(ReplayOptions options, Consumer<String> log) {
    this.options = options;
    this.log = log;
  }

  /** Runs the replay in the foreground until it is cancelled. */
  public static void main(String[] args) {
    try {
      new ReplayJob(RunnerPresets.parse(Arrays.asList(args), ReplayOptions.class)).start().waitUntilFinish();
    } catch (UserError e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }

  public PipelineResult start() {
    options.setStreaming(true);
    ClusterEndpoint target = TargetClusterOptions.endpoint(options);
    ClusterVersion targetVersion = ClusterVersion.detect(ClusterClient.connect(target));
    RequestRewriter rewriter = rewriter(target, targetVersion);
    double speedup = speedup(options.getSpeedup());
    Map<Integer, Long> startOffsets = ReplayStartPositions.resolve(consumerConfig(), options.getTopic(), options.getFrom());
    long capturedFrom = ReplayStartPositions.capturedFrom(consumerConfig(), options.getTopic(), startOffsets);
    if (options.getRunner().getSimpleName().equals("DirectRunner")) {
      // the DirectRunner reads an unbounded source 10 records a bundle (about 80 records/s from 4 partitions here);
      // KafkaIO's splittable DoFn reads 100 a bundle
      ExperimentalOptions.addExperiment(options.as(ExperimentalOptions.class), "use_sdf_read");
    }
    Optional<LocalFlinkRest> localRest = LocalFlinkRest.configure(options);
    Optional<FlinkSubmission> submission = onFlink();
    Pipeline pipeline = Pipeline.create(options);
    PCollectionTuple out = pipeline.apply("ReadCaptureTopic", kafkaRead())
        .apply("Replay", ReplayPipeline.to(target).withRewriter(rewriter).withSpeedup(speedup).withCapturedFrom(capturedFrom)
            .withNoiseSample(noiseSample(options.getNoiseSample())));
    if (options.getTuples() != null) {
      out.get(ReplayPipeline.TUPLES).apply("WriteTuples", ParDo.of(rotatingParts(options.getTuples(), "--tuples", "tuples")));
    }
    if (options.getTuplesTopic() != null) {
      out.get(ReplayPipeline.TUPLES).apply("TuplesToKafka", tuplesToKafka());
    }
    out.get(ReplayPipeline.DEAD_LETTERS).apply("WriteDeadLetters",
        ParDo.of(rotatingParts(deadLetterLocation(), "--dead-letter", "dead-letters")));
    out.get(ReplayPipeline.POSITIONS).apply(CommitAnsweredOffsets.to(options.getKafka(), options.getTopic(),
        options.getGroup()).withStartOffsets(startOffsets).withConsumerProperties(options.getKafkaProperty()));
    PipelineResult running;
    try {
      running = pipeline.run();
    } finally {
      localRest.ifPresent(LocalFlinkRest::close); // read when the mini-cluster started
    }
    submission.ifPresent(FlinkSubmission::awaitJobId); // says the job id and its web UI link
    localRest.map(LocalFlinkRest::url).or(() -> submission.map(FlinkSubmission::webUrl)).ifPresent(url ->
        flinkCounters = new FlinkJobCounters(url, options.getJobName(), "io.searchmigrate."));
    return running;
  }

  /**
   * The counts of the replay {@link #start()} started: from the pipeline's metrics, or on Flink from the running job's
   * task metrics (Beam's Flink runner gives a streaming job's counters to its result only when it ends). Zeros
   * when they cannot be read now.
   */
  public ReplayProgress.Counts counts(PipelineResult running) {
    if (flinkCounters == null) {
      return ReplayProgress.counts(running);
    }
    try {
      return ReplayProgress.counts(flinkCounters.read().orElse(Map.of()));
    } catch (RuntimeException e) {
      return ReplayProgress.counts(Map.of()); // the cluster did not answer this time
    }
  }

  /**
   * Flink runs the replay as a detached streaming job that checkpoints; present when it is submitted to a session
   * cluster (checked to answer first).
   */
  private Optional<FlinkSubmission> onFlink() {
    if (options.getRunner() != FlinkRunner.class) {
      return Optional.empty();
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (flink.getCheckpointingInterval() <= 0) {
      throw new UserError("the replay on Flink needs checkpoints (they carry held records and answered offsets over a "
          + "lost TaskManager): give --checkpointingInterval=MILLIS (runner-configs/flink*.options set 10000), not "
          + flink.getCheckpointingInterval());
    }
    flink.setAttachedMode(false); // start() returns once the job runs; its counters are read from the running job
    if (options.getJobName().matches(".+-\\d{10}-[0-9a-f]{1,8}")) { // Beam's made-up name: none was given
      options.setJobName("replay-" + options.getGroup()); // what ./migrate flink jobs lists
    }
    return FlinkSubmission.of(options, log);
  }

  /**
   * Tuples to {@code --tuplesTopic}: on the capture's brokers with its {@code --kafkaProperty} settings (security),
   * or on {@code --tuplesKafka} with none.
   */
  private TuplesToKafka tuplesToKafka() {
    if (options.getTuplesTopic().isBlank()) {
      throw new UserError("--tuples-topic needs a topic name");
    }
    if (options.getTuplesKafka() != null && !options.getTuplesKafka().equals(options.getKafka())) {
      return TuplesToKafka.to(options.getTuplesKafka(), options.getTuplesTopic());
    }
    return TuplesToKafka.to(options.getKafka(), options.getTuplesTopic())
        .withProducerProperties(KeyValueOptions.parse("--kafka-property", options.getKafkaProperty()));
  }

  /** Where dead letters go: --deadLetter, else a folder in the tuples folder (or prefix), else the replay's state folder. */
  String deadLetterLocation() {
    if (options.getDeadLetter() != null) {
      return options.getDeadLetter();
    }
    if (options.getTuples() != null) {
      return S3Uri.isS3(options.getTuples()) ? S3Uri.parse(options.getTuples(), "--tuples").describe("dead-letters")
          : LocalPaths.of(options.getTuples(), "--tuples").resolve("dead-letters").toString();
    }
    throw new UserError("say where dead letters go with --dead-letter DIR (or give --tuples DIR: they go into it)");
  }

  /**
   * Rotating NDJSON files in a folder, or the same parts as objects under {@code s3://bucket/prefix} (reached as
   * --s3Region/--s3Endpoint say).
   */
  private DoFn<String, Void> rotatingParts(String location, String flag, String name) {
    if (S3Uri.isS3(location)) {
      return S3PartsFn.rotating(S3Uri.parse(location, flag), RepositoryLocations.s3(options), name, TUPLE_LINES_PER_FILE);
    }
    return new NdjsonFilesFn(LocalPaths.of(location, flag), name, TUPLE_LINES_PER_FILE);
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> consumer = new HashMap<>(KeyValueOptions.parse("--kafka-property", options.getKafkaProperty()));
    consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getKafka());
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, options.getGroup());
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // no client metrics pushed to the broker (KIP-714): with it on, Kafka 3.9's client formats a log message it never
    // logs on every network poll
    consumer.putIfAbsent(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, false);
    return consumer;
  }

  /**
   * Reads from the group's committed offsets, which {@link ReplayStartPositions} set for a first start: so the reader
   * and {@link CommitAnsweredOffsets} agree on where each partition began.
   */
  private KafkaIO.Read<byte[], byte[]> kafkaRead() {
    return KafkaIO.<byte[], byte[]>read()
        .withBootstrapServers(options.getKafka())
        .withTopic(options.getTopic())
        .withKeyDeserializer(ByteArrayDeserializer.class)
        .withValueDeserializer(ByteArrayDeserializer.class)
        .withConsumerConfigUpdates(readerConsumerConfig());
  }

  /** The reader's consumer settings beyond the bootstrap servers: the user's {@code --kafka-property} ones win. */
  Map<String, Object> readerConsumerConfig() {
    Map<String, Object> consumer = consumerConfig();
    consumer.remove(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // catching up on a backlog, Kafka's default (1 MB a partition) fills a poll with one partition's few connections,
    // whose requests then fill the in-flight window while the others wait: smaller fetches put several partitions in
    // each poll, so more connections are replayed at once (BENCHMARKS.md, replay)
    consumer.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, REPLAY_PARTITION_FETCH_BYTES);
    return consumer;
  }

  private RequestRewriter rewriter(ClusterEndpoint target, ClusterVersion targetVersion) {
    List<RequestRewrite> rules = new ArrayList<>();
    ClusterVersion source;
    try {
      source = ClusterVersion.parse(options.getSourceVersion());
    } catch (RuntimeException e) {
      throw new UserError("--source-version expects a version such as 7.10.2 or opensearch-2.19.1, got '"
          + options.getSourceVersion() + "'");
    }
    rules.add(CompatibleMediaTypes.INSTANCE);
    rules.add(TypelessRequests.of(source, targetVersion,
        MigrationOptions.defaults().withMultiType(options.getMultiType()), Set.of()));
    if (options.getRules() != null) {
      rules.add(UserRules.load(Path.of(options.getRules())));
    }
    rules.add(TargetHostAndAuth.of(target));
    return RequestRewriter.of(rules);
  }

  static double noiseSample(String text) {
    try {
      double rate = Double.parseDouble(text);
      if (rate >= 0 && rate <= 1) {
        return rate;
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    throw new UserError("--noise-sample expects the share of read-only requests to send twice, between 0 and 1 (e.g. "
        + "0.05), got '" + text + "'");
  }

  static double speedup(String text) {
    if (text.equals("max")) {
      return 0;
    }
    try {
      double factor = Double.parseDouble(text);
      if (factor > 0) {
        return factor;
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    throw new UserError("--speedup expects a positive factor (2 = twice as fast as captured) or 'max', got '" + text + "'");
  }
}
