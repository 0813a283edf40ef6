package io.searchmigrate.pipelines.replay;

import io.searchmigrate.common.UserError;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a replay begins on each partition of the capture topic: the consumer group's committed offset (a replay that
 * ran before resumes), else {@code --from} ({@code earliest}, {@code latest} or an ISO-8601 time), which is then
 * committed to the group so the reader starts exactly there.
 *
 * <pre>{@code
 * Map<Integer, Long> start = ReplayStartPositions.resolve(consumerConfig, "capture", "earliest");
 * }</pre>
 */
final class ReplayStartPositions {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private ReplayStartPositions() {}

  static Map<Integer, Long> resolve(Map<String, Object> consumerConfig, String topic, String from) {
    Instant fromTime = parseFrom(from);
    Map<String, Object> config = bytesConsumer(consumerConfig);
    Object bootstrap = config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<PartitionInfo> partitions = consumer.listTopics(TIMEOUT).get(topic);
      if (partitions == null || partitions.isEmpty()) {
        throw new UserError("the capture topic '" + topic + "' does not exist on " + bootstrap + ": the capture proxy "
            + "creates it when it starts (./migrate proxy start ... --topic " + topic + "); check --topic and --kafka");
      }
      Set<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition()))
          .collect(Collectors.toSet());
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(all, TIMEOUT);
      Map<Integer, Long> start = new TreeMap<>();
      Map<TopicPartition, OffsetAndMetadata> first = new HashMap<>();
      Set<TopicPartition> fresh = all.stream().filter(tp -> committed.get(tp) == null).collect(Collectors.toSet());
      Map<TopicPartition, Long> chosen = fresh.isEmpty() ? Map.of() : firstOffsets(consumer, fresh, from, fromTime);
      for (TopicPartition tp : all) {
        OffsetAndMetadata c = committed.get(tp);
        long offset = c != null ? c.offset() : chosen.get(tp);
        if (c == null) {
          first.put(tp, new OffsetAndMetadata(offset));
        }
        start.put(tp.partition(), offset);
      }
      if (!first.isEmpty()) {
        consumer.commitSync(first, TIMEOUT);
      }
      return start;
    } catch (KafkaException e) {
      throw new UserError("cannot read the capture topic '" + topic + "' on " + bootstrap + ": " + e.getMessage()
          + " (is Kafka running there? ./migrate kafka topics --kafka " + bootstrap + ")", e);
    }
  }

  /**
   * The time (microseconds since the epoch) of the earliest record a run starts at on any partition, or 0 when nothing
   * waits on the topic: where a replay with captured timing starts its clock ({@link CapturedClock}). Without it the
   * clock would start at the first request read, and a backlog's earlier requests on partitions the reader reaches
   * later (an index created before another connection writes to it) would be late, and sent out of captured order.
   */
  static long capturedFrom(Map<String, Object> consumerConfig, String topic, Map<Integer, Long> start) {
    Map<String, Object> config = bytesConsumer(consumerConfig);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG); // only looks: commits nothing, joins no group
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = start.keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      List<TopicPartition> waiting = partitions.stream().filter(tp -> start.get(tp.partition()) < end.get(tp)).toList();
      if (waiting.isEmpty()) {
        return 0;
      }
      consumer.assign(waiting);
      waiting.forEach(tp -> consumer.seek(tp, start.get(tp.partition())));
      Set<TopicPartition> seen = new HashSet<>();
      long earliest = Long.MAX_VALUE;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (seen.size() < waiting.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (seen.add(tp)) { // the record the run starts at on this partition
            earliest = Math.min(earliest, record.timestamp());
            consumer.pause(List.of(tp));
          }
        }
      }
      return earliest == Long.MAX_VALUE ? 0 : earliest * 1000;
    } catch (KafkaException e) {
      return 0; // the clock then starts at the first request read, as without a backlog
    }
  }

  /** The replay's consumer settings for a consumer of raw records. */
  private static Map<String, Object> bytesConsumer(Map<String, Object> consumerConfig) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }

  private static Map<TopicPartition, Long> firstOffsets(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> fresh,
      String from, Instant fromTime) {
    if (from.equals("earliest")) {
      return consumer.beginningOffsets(fresh, TIMEOUT);
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(fresh, TIMEOUT);
    if (fromTime == null) {
      return end;
    }
    Map<TopicPartition, Long> query = fresh.stream().collect(Collectors.toMap(tp -> tp, tp -> fromTime.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TIMEOUT);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition tp : fresh) {
      OffsetAndTimestamp at = found.get(tp);
      offsets.put(tp, at != null ? at.offset() : end.get(tp)); // nothing captured since then: begin at the end
    }
    return offsets;
  }

  /** The time of {@code --from}, null for earliest and latest; a clear error for anything else. */
  static Instant parseFrom(String from) {
    if (from.equals("earliest") || from.equals("latest")) {
      return null;
    }
    try {
      return Instant.parse(from);
    } catch (DateTimeParseException e) {
      throw new UserError("--from expects earliest, latest or an ISO-8601 time such as 2024-05-01T10:00:00Z, got '"
          + from + "'");
    }
  }
}
