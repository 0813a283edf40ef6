package io.searchmigrate.pipelines.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a running replay stands: its counters (from the pipeline's Beam metrics, so they work on every runner that
 * reports them) and its lag, the records on the capture topic its consumer group has not committed yet.
 *
 * <pre>{@code
 * ReplayProgress.Counts counts = ReplayProgress.counts(running);
 * long lag = ReplayProgress.lag(consumerConfig, "capture", "search-migrate-replay");
 * }</pre>
 */
public final class ReplayProgress {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private ReplayProgress() {}

  /** The replay's counters. {@code tuplesWritten} and {@code deadLettersWritten} count lines flushed to their files. */
  public record Counts(long replayed, long mismatches, long incomplete, long deadLettered, long poisonRecords,
      long tuplesWritten, long deadLettersWritten, long recordsRead, long committedRecords) {
    /** Every tuple and dead letter of what was replayed so far is in its file. */
    public boolean allWritten(boolean writesTuples) {
      return (!writesTuples || tuplesWritten >= replayed) && deadLettersWritten >= deadLettered + poisonRecords;
    }

    public ObjectNode toJson() {
      ObjectNode node = Json.object();
      node.put("replayed", replayed);
      node.put("mismatches", mismatches);
      node.put("incomplete", incomplete);
      node.put("dead_lettered", deadLettered + poisonRecords);
      node.put("committed_records", committedRecords);
      return node;
    }
  }

  public static Counts counts(PipelineResult running) {
    Map<String, Long> byName = new HashMap<>();
    try {
      for (MetricResult<Long> counter : running.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
        Long value = counter.getAttempted();
        byName.merge(counter.getName().getName(), value == null ? 0 : value, Long::sum);
      }
    } catch (UnsupportedOperationException | IllegalStateException e) {
      // a runner that reports no metrics while running: zeros
    }
    return counts(byName);
  }

  /** The counts from the replay's counters by name (each summed over the steps and workers that keep it). */
  public static Counts counts(Map<String, Long> byName) {
    return new Counts(byName.getOrDefault("replayed", 0L), byName.getOrDefault("mismatches", 0L),
        byName.getOrDefault("incomplete", 0L), byName.getOrDefault("dead_lettered", 0L),
        byName.getOrDefault("poison_records", 0L), byName.getOrDefault("tuples_written", 0L),
        byName.getOrDefault("dead-letters_written", 0L), byName.getOrDefault("records_read", 0L),
        byName.getOrDefault("committed_records", 0L));
  }

  /**
   * Records on {@code topic} the group has not committed (every record of a partition it never committed on).
   *
   * @param clientConfig Kafka client settings with at least the bootstrap servers
   */
  public static long lag(Map<String, Object> clientConfig, String topic, String group) {
    Properties config = new Properties();
    config.putAll(clientConfig);
    config.keySet().retainAll(AdminClientConfig.configNames());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (Admin admin = Admin.create(config)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Set<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
          .stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      long lag = 0;
      for (TopicPartition p : partitions) {
        OffsetAndMetadata c = committed.get(p);
        lag += Math.max(0, ends.get(p).offset() - (c == null ? 0 : c.offset()));
      }
      return lag;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception e) {
      return -1; // Kafka did not answer this time: unknown
    }
  }
}
