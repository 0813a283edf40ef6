package io.searchmigrate.pipelines.replay;

import io.searchmigrate.common.json.Json;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Tuple lines (as {@link ReplayTuple} writes them: credentials already redacted) sent to a Kafka topic, one record each,
 * keyed by the tuple's connection id so that one connection's tuples stay in order on one partition. KafkaIO's writer
 * flushes before its bundle completes.
 *
 * <pre>{@code
 * out.get(ReplayPipeline.TUPLES).apply(TuplesToKafka.to("localhost:9092", "replay-tuples")
 *     .withProducerProperties(Map.of("security.protocol", "SSL")));
 * }</pre>
 */
public final class TuplesToKafka extends PTransform<PCollection<String>, PDone> {
  private final String bootstrap;
  private final String topic;
  private final Map<String, Object> producerProperties;

  private TuplesToKafka(String bootstrap, String topic, Map<String, ?> producerProperties) {
    this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.producerProperties = Map.<String, Object>copyOf(producerProperties);
  }

  public static TuplesToKafka to(String bootstrap, String topic) {
    return new TuplesToKafka(bootstrap, topic, Map.of());
  }

  /** Extra producer properties (security settings of the brokers, already resolved). */
  public TuplesToKafka withProducerProperties(Map<String, ?> properties) {
    return new TuplesToKafka(bootstrap, topic, properties);
  }

  @Override
  public PDone expand(PCollection<String> tuples) {
    return tuples
        .apply("KeyByConnection", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via((String tuple) -> KV.of(connectionOf(tuple), tuple)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("SendToTopic", KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrap)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class)
            .withProducerConfigUpdates(producerProperties));
  }

  static String connectionOf(String tuple) {
    return Json.parse(tuple).path("connection").asText();
  }
}
