package io.searchmigrate.proxy.capture;

import io.searchmigrate.proxy.ProxyMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends capture records to a Kafka topic without ever blocking an event loop.
 *
 * <p>{@link #submit} checks a memory bound, then hands the record to the producer. {@code KafkaProducer.send}
 * blocks only while it lacks the topic's metadata (or buffer space, which our smaller bound rules out), so
 * the caller sends directly once the metadata is known and nothing waits in the queue; otherwise (Kafka
 * unreachable at start) records wait in a queue that one sender thread hands over in order. Either way one
 * connection's records keep their order on its partition. Bytes count against the {@link CaptureBudget} from
 * submission to Kafka's answer; when the bound would be exceeded the record is dropped and counted: clients are
 * served whatever Kafka does.
 */
public final class KafkaCaptureSink implements CaptureSink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaCaptureSink.class);
  private static final long TOUCH_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** Least time between two attempts to reach Kafka while it does not answer. */
  private static final long WARM_UP_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final CaptureBudget budget;
  private final ProxyMetrics metrics;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread sender;
  /** Records submitted to the queue and not yet handed to the producer: while any are, new ones queue behind them. */
  private final AtomicLong queued = new AtomicLong();
  /** The producer has the topic's metadata, so send() will not block. */
  private volatile boolean metadataReady;
  private volatile boolean healthy = true;
  private volatile boolean closing;

  private record Pending(ProducerRecord<byte[], byte[]> record, CompletableFuture<Void> done, long submittedNanos) {}

  /**
   * Queued after an awaited record: the sender thread then flushes the producer, so that record does not linger.
   * Not a record: skipped once closing.
   */
  private static final Pending FLUSH = new Pending(null, null, 0);
  private final AtomicBoolean flushWanted = new AtomicBoolean();

  /** Producer settings tuned for low latency and no loss or reordering; {@code overrides} win. */
  public static Properties producerProperties(String bootstrap, long maxBufferedBytes, int maxRecordBytes, Map<String, String> overrides) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "searchmigrate-capture-proxy");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    // records batch for up to 5 ms (far less CPU for producer and broker); one a client waits on is flushed at once
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    // the producer's own buffer must never fill before ours does: our bound decides what is dropped
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(maxBufferedBytes + 16L * 1024 * 1024));
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRecordBytes + 64 * 1024));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    // no client metrics pushed to the broker (KIP-714): Kafka 3.9's client, with it on, formats a log message it never
    // logs on every network poll of its sender thread (about 2 % of the proxy's samples; BENCHMARKS.md, issue 11)
    p.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, "false");
    p.putAll(overrides);
    return p;
  }

  /** Records wait for Kafka within {@code budget}, which connections' records in the making share. */
  public KafkaCaptureSink(Properties producerProperties, String topic, CaptureBudget budget, ProxyMetrics metrics) {
    this.producer = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.budget = budget;
    this.metrics = metrics;
    this.sender = new Thread(this::sendLoop, "capture-kafka-sender");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  @Override
  public CompletableFuture<Void> submit(byte[] key, byte[] value, boolean awaited) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long size = key.length + value.length;
    if (closing || !budget.reserveWaiting(size)) {
      budget.dropped(size);
      done.completeExceptionally(new CaptureDroppedException(closing ? "the proxy is shutting down"
          : "capture buffer full (" + budget.limit() + " bytes of captures wait for Kafka or are being built)"));
      return done;
    }
    metrics.captureBufferedRecords.incrementAndGet();
    metrics.captureRecordsSubmitted.increment();
    Pending pending = new Pending(new ProducerRecord<>(topic, key, value), done, System.nanoTime());
    if (metadataReady && queued.get() == 0) {
      send(pending, size);
    } else {
      queued.incrementAndGet();
      queue.add(pending);
    }
    if (awaited && healthy && !flushWanted.getAndSet(true)) {
      queue.add(FLUSH);
    }
    return done;
  }

  private void sendLoop() {
    long lastTouch = 0;
    while (true) {
      if (closing && queue.isEmpty()) {
        return; // what the producer holds, its close sends
      }
      if (!metadataReady || System.nanoTime() - lastTouch > TOUCH_EVERY_NANOS) {
        // also keeps the topic's metadata from expiring in the producer while the proxy is idle
        long started = System.nanoTime();
        metadataReady = warmUp();
        lastTouch = System.nanoTime();
        if (!metadataReady) {
          // queued records wait for Kafka rather than fail one by one after max.block.ms each (also during close)
          if (!pause(WARM_UP_RETRY_NANOS - (lastTouch - started))) {
            return;
          }
          continue;
        }
      }
      Pending pending;
      try {
        pending = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (pending == null) {
        if (closing && queue.isEmpty()) {
          return;
        }
        continue;
      }
      if (pending == FLUSH) {
        flushWanted.set(false);
        if (closing) {
          continue; // the producer's close sends everything at once: records behind the marker must not wait on it
        }
        try {
          // makes every batch sendable now and waits for them; only this thread waits
          producer.flush();
        } catch (RuntimeException e) {
          return; // interrupted by close()
        }
        continue;
      }
      send(pending, pending.record().key().length + pending.record().value().length);
      queued.decrementAndGet();
    }
  }

  /** Sleeps (interruptibly) for up to {@code nanos}; false when interrupted, i.e. close() gave up waiting. */
  private static boolean pause(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(Math.max(0, nanos));
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private void send(Pending pending, long size) {
    try {
      producer.send(pending.record(), (metadata, error) -> completed(pending, size, error));
    } catch (RuntimeException e) {
      // metadata unavailable within max.block.ms (Kafka down since start), or the producer is closed
      completed(pending, size, e);
    }
  }

  /** Fetches the topic's partitions (creating it where the broker allows); true when the producer has them. */
  private boolean warmUp() {
    try {
      int partitions = producer.partitionsFor(topic).size();
      if (!metadataReady) {
        LOG.info("capturing to topic '{}' ({} partitions)", topic, partitions);
      }
      return true;
    } catch (RuntimeException e) {
      healthy = false;
      LOG.warn("Kafka did not answer for topic '{}' ({}); captures wait in the buffer, clients are served meanwhile", topic, e.toString());
      return false;
    }
  }

  private void completed(Pending pending, long size, Exception error) {
    budget.releaseWaiting(size);
    metrics.captureBufferedRecords.decrementAndGet();
    if (error == null) {
      metrics.captureRecordsStored.increment();
      metrics.recordCaptureLatency(System.nanoTime() - pending.submittedNanos());
      if (!healthy) {
        healthy = true;
        LOG.info("Kafka acknowledges captures again");
      }
      pending.done().complete(null);
    } else {
      metrics.captureRecordsFailed.increment();
      if (healthy) {
        healthy = false;
        LOG.warn("a capture record was not stored in Kafka ({}); capture continues while Kafka recovers", error.toString());
      }
      pending.done().completeExceptionally(error);
    }
  }

  @Override
  public boolean ready() {
    return metadataReady;
  }

  @Override
  public boolean healthy() {
    return healthy;
  }

  @Override
  public void markUnhealthy() {
    if (healthy) {
      healthy = false;
      LOG.warn("Kafka did not acknowledge a capture in time; until it does, mutating requests do not wait for their capture "
          + "(forwarded at risk, or refused with 503 under --on-capture-failure reject)");
    }
  }

  /**
   * Stores every record submitted so far, waiting at most {@code timeoutMillis}: queued records are handed to the
   * producer in order (once Kafka answers), then the producer sends what it holds. Records Kafka has not
   * acknowledged by then complete as failed (counted), so nothing submitted is left without an outcome.
   */
  @Override
  public void close(long timeoutMillis) {
    closing = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      sender.join(Math.max(1, timeoutMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sender.interrupt();
      long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      producer.close(Duration.ofMillis(left));
      int neverSent = 0;
      for (Pending p; (p = queue.poll()) != null; ) {
        if (p != FLUSH) {
          neverSent++;
          completed(p, p.record().key().length + p.record().value().length,
              new CaptureDroppedException("the proxy shut down before Kafka answered"));
        }
      }
      if (neverSent > 0) {
        LOG.warn("{} capture records were never handed to Kafka: it did not answer within {} ms of the shutdown", neverSent, timeoutMillis);
      }
    }
  }

  /** A record that never reached Kafka because it could not be buffered. */
  public static final class CaptureDroppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CaptureDroppedException(String message) {
      super(message, null, false, false);
    }
  }
}
