package io.searchmigrate.pipelines.replay;

import io.searchmigrate.pipelines.options.S3Options;
import io.searchmigrate.pipelines.options.TargetClusterOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * What to replay and where, as Beam pipeline options: every Beam and runner option works beside these.
 *
 * <pre>{@code
 * ReplayOptions options = RunnerPresets.parse(List.of("--kafka=localhost:9092", "--topic=capture",
 *     "--target=http://localhost:9200", "--tuples=/data/tuples", "--speedup=max"), ReplayOptions.class);
 * }</pre>
 *
 * <p>Passwords are never options: {@code --targetPasswordEnv} names an environment variable and
 * {@code --targetPasswordFile} a file.
 */
public interface ReplayOptions extends StreamingOptions, TargetClusterOptions, S3Options {
  @Description("Kafka bootstrap servers of the capture topic, e.g. localhost:9092")
  @Validation.Required
  String getKafka();

  void setKafka(String servers);

  @Description("Capture topic")
  @Default.String("capture")
  String getTopic();

  void setTopic(String topic);

  @Description("Kafka consumer group: offsets are committed there once their requests were answered")
  @Default.String("search-migrate-replay")
  String getGroup();

  void setGroup(String group);

  @Description("Where a first start begins: earliest, latest or an ISO-8601 time (later starts resume the group)")
  @Default.String("earliest")
  String getFrom();

  void setFrom(String from);

  @Description("Source version (e.g. 6.8.23) for the ES->OS request rewriting")
  @Validation.Required
  String getSourceVersion();

  void setSourceVersion(String version);

  @Description("Captured gaps between requests divided by this factor, or 'max' to send as fast as order allows")
  @Default.String("1")
  String getSpeedup();

  void setSpeedup(String speedup);

  @Description("Share (0 to 1) of read-only requests sent to the target twice, both answers kept in the tuple, so that "
      + "validate tuples learns the noise (what differs between two answers of the target alone)")
  @Default.String("0")
  String getNoiseSample();

  void setNoiseSample(String rate);

  @Description("JSON file of user rewrite rules")
  String getRules();

  void setRules(String file);

  @Description("Indices with several mapping types: merge or split (the backfill's naming)")
  @Default.String("merge")
  String getMultiType();

  void setMultiType(String mode);

  @Description("Directory for tuple files (rotating NDJSON), or s3://bucket/prefix for the same parts as objects")
  String getTuples();

  void setTuples(String dir);

  @Description("Kafka topic for the tuples as well, one JSON record per replayed request keyed by connection id")
  String getTuplesTopic();

  void setTuplesTopic(String topic);

  @Description("Bootstrap servers for --tuplesTopic (default: --kafka, with its --kafkaProperty settings)")
  String getTuplesKafka();

  void setTuplesKafka(String servers);

  @Description("Extra Kafka consumer properties KEY=VALUE (values may be env:NAME or file:PATH, for passwords)")
  @Default.InstanceFactory(EmptyList.class)
  List<String> getKafkaProperty();

  void setKafkaProperty(List<String> properties);

  /** No extra consumer properties. */
  final class EmptyList implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      return new ArrayList<>();
    }
  }

  @Description("Folder (or s3://bucket/prefix) for dead-letter NDJSON files (default: dead-letters in the tuples folder)")
  String getDeadLetter();

  void setDeadLetter(String path);
}
