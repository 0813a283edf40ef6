package io.searchmigrate.pipelines.replay;

import io.searchmigrate.common.KeyValueOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Commits the replay's consumer-group offsets only up to where every capture record was answered by the target or
 * dead-lettered ({@link ReplayPipeline#POSITIONS}), per partition, at most once a second. So a replay that stops or
 * dies resumes from the first record whose requests were not all answered: at-least-once, with nothing replayed
 * twice beyond what was in flight.
 *
 * <pre>{@code
 * replayed.get(ReplayPipeline.POSITIONS).apply(CommitAnsweredOffsets.to("localhost:9092", "capture", "replay")
 *     .withStartOffsets(Map.of(0, 1200L)));
 * }</pre>
 *
 * <p>Why not KafkaIO's {@code commitOffsetsInFinalize}: it commits once the runner took the records, before the
 * target answered them; on a runner without durable state (the DirectRunner) a crash then loses what was in flight.
 */
public final class CommitAnsweredOffsets extends PTransform<PCollection<KV<Integer, TopicPositions>>, PCollection<Void>> {
  /**
   * Never skip an offset that was not read: a record delayed on its way through a loaded runner is indistinguishable
   * from a transaction marker, and skipping it would commit past a request never replayed (a CI run under load lost
   * two connections that way with a 30 s patience). A topic written transactionally therefore keeps a lag.
   */
  static final long GAP_PATIENCE_MILLIS = Long.MAX_VALUE;
  private static final long COMMIT_EVERY_MILLIS = 1_000;

  private final String bootstrap;
  private final String topic;
  private final String group;
  private final Map<Integer, Long> startOffsets;
  private final List<String> consumerProperties;

  private CommitAnsweredOffsets(String bootstrap, String topic, String group, Map<Integer, Long> startOffsets,
      List<String> consumerProperties) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.group = group;
    this.startOffsets = startOffsets;
    this.consumerProperties = consumerProperties;
  }

  public static CommitAnsweredOffsets to(String bootstrap, String topic, String group) {
    return new CommitAnsweredOffsets(bootstrap, topic, group, Map.of(), List.of());
  }

  /** Where reading began per partition (the group's committed offsets); others begin at their first record read. */
  public CommitAnsweredOffsets withStartOffsets(Map<Integer, Long> offsets) {
    return new CommitAnsweredOffsets(bootstrap, topic, group, Map.copyOf(offsets), consumerProperties);
  }

  /** Extra consumer properties as {@code KEY=VALUE}, values possibly {@code env:NAME} or {@code file:PATH}. */
  public CommitAnsweredOffsets withConsumerProperties(List<String> properties) {
    return new CommitAnsweredOffsets(bootstrap, topic, group, startOffsets, List.copyOf(properties));
  }

  @Override
  public PCollection<Void> expand(PCollection<KV<Integer, TopicPositions>> positions) {
    return positions.apply("CommitAnsweredOffsets", ParDo.of(new CommitFn(this)));
  }

  static final class CommitFn extends DoFn<KV<Integer, TopicPositions>, Void> {
    private final String bootstrap;
    private final String topic;
    private final String group;
    private final HashMap<Integer, Long> startOffsets;
    private final List<String> consumerProperties;
    private final Counter committedRecords = Metrics.counter(CommitAnsweredOffsets.class, "committed_records");
    private transient KafkaConsumer<byte[], byte[]> consumer;
    /** When this worker last committed each partition (a throttle only: it need not survive a restart). */
    private transient HashMap<Integer, Long> lastCommitMillis;

    @StateId("offsets")
    private final StateSpec<ValueState<AnsweredOffsets>> offsetsSpec =
        StateSpecs.value(SerializableCoder.of(AnsweredOffsets.class));

    @StateId("committed")
    private final StateSpec<ValueState<Long>> committedSpec = StateSpecs.value(VarLongCoder.of());

    /** Whether the commit timer is set: set once, not pushed back by every record (it would never fire). */
    @StateId("armed")
    private final StateSpec<ValueState<Boolean>> armedSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("commit")
    private final TimerSpec commitSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    CommitFn(CommitAnsweredOffsets spec) {
      this.bootstrap = spec.bootstrap;
      this.topic = spec.topic;
      this.group = spec.group;
      this.startOffsets = new HashMap<>(spec.startOffsets);
      this.consumerProperties = spec.consumerProperties;
    }

    @Setup
    public void setup() {
      Map<String, Object> config = new HashMap<>(KeyValueOptions.parse("--kafka-property", consumerProperties));
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      consumer = new KafkaConsumer<>(config);
      lastCommitMillis = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<Integer, TopicPositions> event,
        @StateId("offsets") ValueState<AnsweredOffsets> offsetsState, @StateId("armed") ValueState<Boolean> armed,
        @StateId("committed") ValueState<Long> committed, @TimerId("commit") Timer commitTimer) {
      AnsweredOffsets offsets = offsetsState.read();
      if (offsets == null) {
        offsets = new AnsweredOffsets(startOf(event.getKey()), GAP_PATIENCE_MILLIS);
      }
      long now = System.currentTimeMillis();
      offsets.add(event.getValue(), now);
      offsetsState.write(offsets);
      // under a steady stream the DirectRunner holds a step's timers while it has bundles in flight (always, then):
      // commit from here too once the interval has passed, the timer serving the quiet moments
      Long last = lastCommitMillis.get(event.getKey());
      if (last != null && now - last >= COMMIT_EVERY_MILLIS) {
        commitNow(event.getKey(), offsets, committed, now);
      } else if (last == null) {
        lastCommitMillis.put(event.getKey(), now);
      }
      if (armed.read() == null) {
        commitTimer.offset(org.joda.time.Duration.millis(COMMIT_EVERY_MILLIS)).setRelative();
        armed.write(true);
      }
    }

    /**
     * Where reading this partition began: the group's committed offset now. A runner that restarts the job without
     * its state (Flink with no checkpoint to restore) reads again from there, not from where the job first began,
     * and the records before it were answered. The start offsets given serve when the group has none.
     */
    private long startOf(int partition) {
      TopicPartition at = new TopicPartition(topic, partition);
      OffsetAndMetadata committed = consumer.committed(Set.of(at)).get(at);
      return committed != null ? committed.offset() : startOffsets.getOrDefault(partition, -1L);
    }

    @OnTimer("commit")
    public void commit(@Key Integer partition, @StateId("offsets") ValueState<AnsweredOffsets> offsetsState,
        @StateId("committed") ValueState<Long> committed, @StateId("armed") ValueState<Boolean> armed,
        @TimerId("commit") Timer commitTimer) {
      armed.clear();
      AnsweredOffsets offsets = offsetsState.read();
      if (offsets == null) {
        return;
      }
      commitNow(partition, offsets, committed, System.currentTimeMillis());
      if (!offsets.settled()) {
        // records still in flight, or a gap waiting out its patience: look again
        commitTimer.offset(org.joda.time.Duration.millis(COMMIT_EVERY_MILLIS)).setRelative();
        armed.write(true);
      }
    }

    private void commitNow(int partition, AnsweredOffsets offsets, ValueState<Long> committed, long now) {
      lastCommitMillis.put(partition, now);
      long point = offsets.commitPoint(now);
      Long last = committed.read();
      if (point >= 0 && (last == null || point > last)) {
        consumer.commitSync(Map.of(new TopicPartition(topic, partition), new OffsetAndMetadata(point)));
        committedRecords.inc(point - (last == null ? startOffsets.getOrDefault(partition, point) : last));
        committed.write(point);
      }
    }

    @Teardown
    public void teardown() {
      if (consumer != null) {
        consumer.close();
      }
    }
  }
}
