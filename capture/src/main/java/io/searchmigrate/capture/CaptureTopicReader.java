package io.searchmigrate.capture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a capture topic from its beginning up to its end at the time of the call (every partition), without a
 * consumer group: nothing is committed, so reading changes nothing for other readers.
 *
 * <pre>{@code
 * CaptureTopicReader.Result result = CaptureTopicReader.read("127.0.0.1:9092", "capture", Map.of(), Duration.ofSeconds(30));
 * }</pre>
 */
public final class CaptureTopicReader {
  /** A decoded record and where it was stored. */
  public record Located(CaptureRecord record, int partition, long offset) {}

  /** The records decoded (in offset order per partition), and the values that were not capture records. */
  public record Result(List<Located> located, int undecodable, String firstProblem) {
    public List<CaptureRecord> records() {
      return located.stream().map(Located::record).toList();
    }
  }

  private CaptureTopicReader() {}

  /** Throws IllegalStateException when the topic does not exist or Kafka does not answer within {@code timeout}. */
  public static Result read(String bootstrap, String topic, Map<String, String> properties, Duration timeout) {
    List<Located> records = new ArrayList<>();
    int[] undecodable = {0};
    String[] firstProblem = {null};
    readRaw(bootstrap, topic, properties, timeout, raw -> {
      try {
        records.add(new Located(CaptureRecord.decode(raw.value()), raw.partition(), raw.offset()));
      } catch (IllegalArgumentException e) {
        if (undecodable[0]++ == 0) {
          firstProblem[0] = e.getMessage();
        }
      }
    });
    return new Result(records, undecodable[0], firstProblem[0]);
  }

  private static void readRaw(String bootstrap, String topic, Map<String, String> properties, Duration timeout,
      Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "searchmigrate-capture-reader");
    p.putAll(properties);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions;
      try {
        partitions = consumer.partitionsFor(topic, timeout);
      } catch (TimeoutException e) {
        throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds() + " s");
      }
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalStateException("topic '" + topic + "' does not exist in Kafka at " + bootstrap);
      }
      List<TopicPartition> assigned = partitions.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
      while (!reachedEnd(consumer, assigned, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading topic '" + topic + "' did not finish within " + timeout.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition())) && record.value() != null) {
            sink.accept(record);
          }
        }
      }
    }
  }

  private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
    for (TopicPartition tp : partitions) {
      if (consumer.position(tp) < end.get(tp)) {
        return false;
      }
    }
    return true;
  }
}
