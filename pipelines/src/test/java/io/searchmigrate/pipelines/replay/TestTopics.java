package io.searchmigrate.pipelines.replay;

import io.searchmigrate.launcher.LocalKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A test's own topics on a real broker, written so that what a test reads back is what it wrote: a topic is used only
 * once the broker describes it with a leader for every partition, and every record written is acknowledged (one the
 * broker refused is sent again once, then the test fails naming it). A record lost this way once looked like a replay
 * that missed a connection: the broker refused the first batch of a partition whose leader was still being elected,
 * and nobody checked.
 *
 * <pre>{@code
 * TestTopics.create(kafka, topic, 3);
 * TestTopics.write(kafka, List.of(new ProducerRecord<>(topic, key, value)));
 * }</pre>
 */
final class TestTopics {
  private static final Duration LEADERS_TIMEOUT = Duration.ofSeconds(30);

  private TestTopics() {}

  static void create(LocalKafka.Broker kafka, String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      long deadline = System.nanoTime() + LEADERS_TIMEOUT.toNanos();
      while (true) {
        Object seen;
        try {
          TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
          if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
            return;
          }
          seen = description;
        } catch (ExecutionException notYetKnown) {
          // A topic just created may not be in the broker's metadata yet: its description is refused until it is.
          if (!(notYetKnown.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw notYetKnown;
          }
          seen = notYetKnown.getCause();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic " + topic + " still has partitions without a leader after "
              + LEADERS_TIMEOUT.toSeconds() + " s: " + seen);
        }
        Thread.sleep(100);
      }
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(LocalKafka.Broker kafka) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  /** Writes the records (in order, batched) and waits until each one is acknowledged. */
  static void write(LocalKafka.Broker kafka, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> record : records) {
        sent.add(producer.send(record));
      }
      producer.flush();
      for (int i = 0; i < records.size(); i++) {
        try {
          sent.get(i).get();
        } catch (ExecutionException refused) {
          try {
            producer.send(records.get(i)).get(60, TimeUnit.SECONDS);
          } catch (ExecutionException again) {
            throw new IllegalStateException("the broker refused record " + i + " of the test's " + records.size()
                + " for topic " + records.get(i).topic() + " twice: " + refused.getCause() + "; " + again.getCause(), again);
          }
        }
      }
    }
  }
}
