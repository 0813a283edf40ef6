package io.searchmigrate.pipelines.replay;

import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.opensearch.Backoff;
import io.searchmigrate.transforms.http.RequestRewriter;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Capture records as KafkaIO reads them from the capture topic, replayed against the target: decoded, keyed by
 * connection, reassembled in sequence order, rewritten and sent in order per connection. Gives the tuple lines
 * ({@link #TUPLES}) and the dead letters ({@link #DEAD_LETTERS}: records that do not decode, requests the target
 * cannot take), each a JSON line with its reason.
 *
 * <pre>{@code
 * PCollectionTuple out = pipeline.apply(KafkaIO.<byte[], byte[]>read().withTopic("capture")...)
 *     .apply(ReplayPipeline.to(ClusterEndpoint.of("http://localhost:9200"))
 *     .withRewriter(rewriter).withSpeedup(0));
 * out.get(ReplayPipeline.TUPLES).apply(...);
 * }</pre>
 */
public final class ReplayPipeline extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollectionTuple> {
  public static final TupleTag<String> TUPLES = ReplayRequestsFn.TUPLES;
  public static final TupleTag<String> DEAD_LETTERS = ReplayRequestsFn.DEAD_LETTERS;
  /**
   * Every record's topic position, once when read and once when done with (its requests answered or dead-lettered),
   * keyed by partition and gathered per bundle; {@link CommitAnsweredOffsets} commits from them.
   */
  public static final TupleTag<KV<Integer, TopicPositions>> POSITIONS = ReplayRequestsFn.POSITIONS;
  private static final TupleTag<KV<String, TopicRecord>> RECORDS = new TupleTag<>("records") {};
  private static final Coder<KV<Integer, TopicPositions>> POSITION_CODER =
      KvCoder.of(VarIntCoder.of(), TopicPositions.CODER);

  private final ClusterEndpoint target;
  private final RequestRewriter rewriter;
  private final double speedup;
  /** The earliest capture time of the backlog the run starts with (0: none known). */
  private final long capturedFromMicros;
  private final Duration connectionExpiry;
  private final Backoff backoff;
  private final double noiseSample;

  private ReplayPipeline(ClusterEndpoint target, RequestRewriter rewriter, double speedup, long capturedFromMicros,
      Duration connectionExpiry, Backoff backoff, double noiseSample) {
    this.target = target;
    this.rewriter = rewriter;
    this.speedup = speedup;
    this.capturedFromMicros = capturedFromMicros;
    this.connectionExpiry = connectionExpiry;
    this.backoff = backoff;
    this.noiseSample = noiseSample;
  }

  /** Replays into {@code target} with no rewriting, as fast as order allows, connections expired after 5 minutes. */
  public static ReplayPipeline to(ClusterEndpoint target) {
    return new ReplayPipeline(target, RequestRewriter.of(), 0, 0, Duration.ofMinutes(5),
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(2)), 0);
  }

  public ReplayPipeline withRewriter(RequestRewriter rewriter) {
    return new ReplayPipeline(target, rewriter, speedup, capturedFromMicros, connectionExpiry, backoff, noiseSample);
  }

  /** Captured gaps between a connection's requests divided by {@code speedup}; 0 means as fast as order allows. */
  public ReplayPipeline withSpeedup(double speedup) {
    if (speedup < 0) {
      throw new IllegalArgumentException("speedup must be positive (or 0 for max), was " + speedup);
    }
    return new ReplayPipeline(target, rewriter, speedup, capturedFromMicros, connectionExpiry, backoff, noiseSample);
  }

  /**
   * The earliest capture time (microseconds since the epoch) of the backlog on the topic when the run starts: with
   * captured timing the clock starts there, so requests of every partition are due in their captured order although
   * the reader reaches the partitions one after another; at max the first requests wait a head start, so the order
   * between connections ({@link CausalOrder}) knows every partition's first requests. 0 (the default): no backlog.
   */
  public ReplayPipeline withCapturedFrom(long micros) {
    return new ReplayPipeline(target, rewriter, speedup, micros, connectionExpiry, backoff, noiseSample);
  }

  /** A connection quiet this long without its close is given up on: missing records count as lost. */
  public ReplayPipeline withConnectionExpiry(Duration expiry) {
    return new ReplayPipeline(target, rewriter, speedup, capturedFromMicros, expiry, backoff, noiseSample);
  }

  public ReplayPipeline withBackoff(Backoff backoff) {
    return new ReplayPipeline(target, rewriter, speedup, capturedFromMicros, connectionExpiry, backoff, noiseSample);
  }

  /**
   * Sends this share (0 to 1) of read-only requests to the target twice and keeps both answers in the tuple
   * ({@code target_response_repeat}), so that {@code validate tuples} learns which answer paths differ by themselves
   * (noise) apart from real differences. Default 0.
   */
  public ReplayPipeline withNoiseSample(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("the noise sample is a share between 0 and 1, was " + rate);
    }
    return new ReplayPipeline(target, rewriter, speedup, capturedFromMicros, connectionExpiry, backoff, rate);
  }

  @Override
  public PCollectionTuple expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    PCollectionTuple decoded = records.apply("DecodeCaptureRecords",
        ParDo.of(new DecodeFn()).withOutputTags(RECORDS, TupleTagList.of(List.of(DEAD_LETTERS, POSITIONS))));
    PCollectionTuple replayed = decoded.get(RECORDS)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), TopicRecord.CODER))
        .apply("ReplayPerConnection", ParDo.of(new ReplayRequestsFn(target, rewriter, speedup, capturedFromMicros,
            connectionExpiry, backoff, noiseSample))
            .withOutputTags(TUPLES, TupleTagList.of(List.of(DEAD_LETTERS, POSITIONS))));
    PCollection<String> deadLetters = PCollectionList.of(decoded.get(DEAD_LETTERS).setCoder(StringUtf8Coder.of()))
        .and(replayed.get(DEAD_LETTERS).setCoder(StringUtf8Coder.of()))
        .apply("AllDeadLetters", Flatten.pCollections());
    PCollection<KV<Integer, TopicPositions>> positions =
        PCollectionList.of(decoded.get(POSITIONS).setCoder(POSITION_CODER))
            .and(replayed.get(POSITIONS).setCoder(POSITION_CODER))
            .apply("AllPositions", Flatten.pCollections());
    return PCollectionTuple.of(TUPLES, replayed.get(TUPLES).setCoder(StringUtf8Coder.of()))
        .and(DEAD_LETTERS, deadLetters)
        .and(POSITIONS, positions);
  }

  /**
   * Says every record was read; a record value that is not a capture record is a poison record: dead-lettered with
   * its bytes, never retried, and done with at once. Positions and counts are given once per bundle. It takes the
   * records as KafkaIO gives them: on Flink a step between the two would copy every record once more through its coder.
   */
  static final class DecodeFn extends DoFn<KafkaRecord<byte[], byte[]>, KV<String, TopicRecord>> {
    private final Counter poison = Metrics.counter(ReplayPipeline.class, "poison_records");
    private final Counter read = Metrics.counter(ReplayPipeline.class, "records_read");
    private transient TopicPositions.Gathered readPositions;
    private transient TopicPositions.Gathered poisonPositions;
    /** The bundle's earliest record time: its positions are given at it. */
    private transient Instant earliest;
    private transient long readCount;
    private transient long poisonCount;

    @StartBundle
    public void startBundle() {
      readPositions = new TopicPositions.Gathered();
      poisonPositions = new TopicPositions.Gathered();
      earliest = null;
      readCount = 0;
      poisonCount = 0;
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> read, @Timestamp Instant timestamp,
        MultiOutputReceiver out) {
      TopicRecord record = new TopicRecord(read.getPartition(), read.getOffset(), read.getKV().getValue());
      readPositions.add(record.partition(), record.offset());
      readCount++;
      if (earliest == null || timestamp.isBefore(earliest)) {
        earliest = timestamp;
      }
      try {
        CaptureRecord decoded = CaptureRecord.decode(record.value());
        out.get(RECORDS).output(KV.of(decoded.connectionId(), record));
      } catch (RuntimeException e) {
        var node = Json.object();
        node.put("reason", "not a capture record: " + e.getMessage());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("value_base64", Base64.getEncoder().encodeToString(record.value()));
        out.get(DEAD_LETTERS).output(Json.toString(node));
        poisonCount++;
        poisonPositions.add(record.partition(), record.offset());
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      readPositions.drain((partition, offsets) -> context.output(POSITIONS,
          KV.of(partition, TopicPositions.read(offsets)), earliest, GlobalWindow.INSTANCE));
      poisonPositions.drain((partition, offsets) -> context.output(POSITIONS,
          KV.of(partition, TopicPositions.done(offsets)), earliest, GlobalWindow.INSTANCE));
      read.inc(readCount);
      poison.inc(poisonCount);
    }
  }
}
