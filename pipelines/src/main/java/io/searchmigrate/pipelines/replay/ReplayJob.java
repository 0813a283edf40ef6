package io.searchmigrate.pipelines.replay;

import io.searchmigrate.common.LocalPaths;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.transforms.http.RequestRewrite;
import io.searchmigrate.transforms.http.RequestRewriter;
import io.searchmigrate.transforms.http.TargetHostAndAuth;
import io.searchmigrate.transforms.http.TypelessRequests;
import io.searchmigrate.transforms.http.UserRules;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;

/**
 * Builds and starts the replay: the capture topic read with KafkaIO in a consumer group, then {@link ReplayPipeline},
 * tuples and dead letters written as rotating NDJSON files.
 *
 * <pre>{@code
 * ReplayOptions options = RunnerPresets.parse(List.of("--kafka=localhost:9092", "--topic=capture",
 *     "--target=http://localhost:9200", "--sourceVersion=7.10.2", "--tuples=/data/tuples"), ReplayOptions.class);
 * PipelineResult running = new ReplayJob(options).start();
 * }</pre>
 *
 * <p>Offsets: KafkaIO's {@code commitOffsetsInFinalize} commits a reader checkpoint's offsets once the runner has
 * durably taken what was read (Flink: the checkpoint completed, with the per-connection state in it). A restart of
 * the same running job resumes from its checkpoint; a new job resumes from the group's committed offsets.
 */
public final class ReplayJob {
  static final int TUPLE_LINES_PER_FILE = 10_000;
  private final ReplayOptions options;

  public ReplayJob(ReplayOptions options) {
    this.options = options;
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
    ClusterEndpoint target = ClusterEndpoint.describe("target", options.getTarget(), options.getTargetUser(),
        options.getTargetPasswordEnv(), options.getTargetPasswordFile(), options.getTargetCaCert(),
        options.getTargetInsecure())
        .withAuth("target", options.getTargetAuth(), options.getTargetRegion(), options.getTargetService());
    ClusterVersion targetVersion = ClusterVersion.detect(ClusterClient.connect(target));
    Pipeline pipeline = Pipeline.create(options);
    PCollectionTuple out = pipeline.apply("ReadCaptureTopic", kafkaRead().withoutMetadata()).apply(Values.<byte[]>create())
        .apply("Replay", ReplayPipeline.to(target).withRewriter(rewriter(target, targetVersion))
            .withSpeedup(speedup(options.getSpeedup())));
    Path tuples = options.getTuples() == null ? null : LocalPaths.of(options.getTuples(), "--tuples");
    if (tuples != null) {
      out.get(ReplayPipeline.TUPLES).apply("WriteTuples",
          ParDo.of(new NdjsonFilesFn(tuples, "tuples", TUPLE_LINES_PER_FILE)));
    }
    Path deadLetters = options.getDeadLetter() != null ? LocalPaths.of(options.getDeadLetter(), "--dead-letter")
        : (tuples != null ? tuples : Path.of(".")).resolve("dead-letters");
    out.get(ReplayPipeline.DEAD_LETTERS).apply("WriteDeadLetters",
        ParDo.of(new NdjsonFilesFn(deadLetters, "dead-letters", TUPLE_LINES_PER_FILE)));
    return pipeline.run();
  }

  private KafkaIO.Read<byte[], byte[]> kafkaRead() {
    Map<String, Object> consumer = new HashMap<>();
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, options.getGroup());
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    String from = options.getFrom();
    KafkaIO.Read<byte[], byte[]> read = KafkaIO.<byte[], byte[]>read()
        .withBootstrapServers(options.getKafka())
        .withTopic(options.getTopic())
        .withKeyDeserializer(ByteArrayDeserializer.class)
        .withValueDeserializer(ByteArrayDeserializer.class)
        .commitOffsetsInFinalize();
    if (from.equals("earliest") || from.equals("latest")) {
      consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, from);
    } else {
      try {
        read = read.withStartReadTime(Instant.ofEpochMilli(java.time.Instant.parse(from).toEpochMilli()));
      } catch (DateTimeParseException e) {
        throw new UserError("--from expects earliest, latest or an ISO-8601 time such as 2024-05-01T10:00:00Z, got '"
            + from + "'");
      }
    }
    return read.withConsumerConfigUpdates(consumer);
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
    rules.add(TypelessRequests.of(source, targetVersion,
        MigrationOptions.defaults().withMultiType(options.getMultiType()), Set.of()));
    if (options.getRules() != null) {
      rules.add(UserRules.load(Path.of(options.getRules())));
    }
    rules.add(TargetHostAndAuth.of(target));
    return RequestRewriter.of(rules);
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
