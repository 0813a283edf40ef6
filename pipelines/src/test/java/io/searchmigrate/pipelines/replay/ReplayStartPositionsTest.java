package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Where a replay with captured timing starts its clock, read from a real broker's capture topic. */
class ReplayStartPositionsTest {
  private static ProducerRecord<byte[], byte[]> at(String topic, int partition, long timestampMillis, String value) {
    return new ProducerRecord<>(topic, partition, timestampMillis, "c".getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theClockStartsAtTheEarliestRecordTheRunStartsAtOnAnyPartition() throws Exception {
    LocalKafka.Broker kafka = TestKafka.shared();
    String topic = "start-positions-" + System.nanoTime();
    TestTopics.create(kafka, topic, 3);
    // partition 0 holds later records than partition 1, whose first record is the backlog's earliest; partition 2 is empty
    long t = System.currentTimeMillis() - 60_000; // recent: older records could fall to the topic's retention
    TestTopics.write(kafka, List.of(at(topic, 0, t + 5_000, "a"), at(topic, 0, t + 6_000, "b"),
        at(topic, 1, t + 2_000, "c"), at(topic, 1, t + 9_000, "d")));
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "start-positions");
    assertEquals((t + 2_000) * 1000, ReplayStartPositions.capturedFrom(config, topic, Map.of(0, 0L, 1, 0L, 2, 0L)));
    // resumed past partition 1's first record: its second one is later than partition 0's first
    assertEquals((t + 5_000) * 1000, ReplayStartPositions.capturedFrom(config, topic, Map.of(0, 0L, 1, 1L, 2, 0L)));
    // nothing waiting: the clock starts at the first request read, as on a live capture
    assertEquals(0, ReplayStartPositions.capturedFrom(config, topic, Map.of(0, 2L, 1, 2L, 2, 0L)));
  }
}
