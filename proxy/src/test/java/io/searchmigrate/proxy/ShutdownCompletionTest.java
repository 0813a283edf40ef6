package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.capture.CaptureTopicReader;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.proxy.capture.CaptureBudget;
import io.searchmigrate.proxy.capture.ConnectionCapture;
import io.searchmigrate.proxy.capture.KafkaCaptureSink;
import io.searchmigrate.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Closing the capture sink with records still queued (Kafka has not answered yet, and a flush marker sits among them)
 * gives every record an outcome: stored when Kafka answers within the close timeout, failed and counted otherwise;
 * the close itself always finishes.
 */
class ShutdownCompletionTest {
  private static final long BUFFER = 1024 * 1024;
  private static final int MAX_RECORD = 16 * 1024;

  @Test
  void queuedRecordsAreStoredWhenKafkaAnswersDuringTheClose() throws Exception {
    LocalKafka.Broker broker = TestKafka.dedicated("test-kafka-outage");
    String topic = ProxyTests.topic("close-queued");
    TestKafka.stop(broker);
    CompletableFuture<LocalKafka.Broker> restarted = null;
    try {
      ProxyMetrics metrics = new ProxyMetrics();
      KafkaCaptureSink sink = new KafkaCaptureSink(KafkaCaptureSink.producerProperties(broker.bootstrap(), BUFFER, MAX_RECORD, Map.of()),
          topic, new CaptureBudget(BUFFER, metrics), metrics);
      List<CompletableFuture<Void>> acks = writeConnection(sink, 5);
      assertEquals(6, metrics.captureBufferedRecords.get(), "Kafka is down: every record (five writes and the close) waits");
      assertTrue(acks.stream().noneMatch(CompletableFuture::isDone));

      restarted = CompletableFuture.supplyAsync(() -> TestKafka.restart(broker));
      sink.close(120_000); // Kafka comes back while the sink closes

      for (CompletableFuture<Void> ack : acks) {
        assertTrue(ack.isDone() && !ack.isCompletedExceptionally(), "every queued record was stored");
      }
      assertEquals(6, metrics.captureRecordsStored.sum());
      assertEquals(0, metrics.captureBufferedRecords.get());
      assertEquals(0, metrics.captureBufferedBytes.get());
      List<CaptureRecord> stored = CaptureTopicReader.read(restarted.get().bootstrap(), topic, Map.of(), Duration.ofSeconds(60)).records();
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), stored.stream().map(CaptureRecord::sequence).sorted().toList());
      assertTrue(stored.stream().anyMatch(CaptureRecord::last), "the connection's last record is among them");
    } finally {
      if (restarted != null) {
        restarted.join();
      }
      TestKafka.dedicated(broker.name()); // running again for the next test that uses it
    }
  }

  @Test
  void queuedRecordsFailAndAreCountedWhenKafkaStaysAway() {
    String unreachable = "127.0.0.1:" + ProxyTests.freePort(); // nothing listens there
    ProxyMetrics metrics = new ProxyMetrics();
    KafkaCaptureSink sink = new KafkaCaptureSink(KafkaCaptureSink.producerProperties(unreachable, BUFFER, MAX_RECORD, Map.of()),
        "never", new CaptureBudget(BUFFER, metrics), metrics);
    List<CompletableFuture<Void>> acks = writeConnection(sink, 3);
    assertEquals(4, metrics.captureBufferedRecords.get());

    sink.close(1000); // returns normally; the flush marker queued behind the first write does not end it early

    for (CompletableFuture<Void> ack : acks) {
      assertTrue(ack.isCompletedExceptionally(), "each record has an outcome");
      CompletionException e = assertThrows(CompletionException.class, ack::join);
      assertInstanceOf(KafkaCaptureSink.CaptureDroppedException.class, e.getCause());
    }
    assertEquals(4, metrics.captureRecordsFailed.sum());
    assertEquals(0, metrics.captureBufferedRecords.get());
    assertEquals(0, metrics.captureBufferedBytes.get());
  }

  /** One connection with {@code writes} awaited writes, then its close: the futures of every record, in order. */
  private static List<CompletableFuture<Void>> writeConnection(KafkaCaptureSink sink, int writes) {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    ConnectionCapture capture = new ConnectionCapture(new ConnectionCaptureTest.TestSink() {
      @Override
      public CompletableFuture<Void> submit(byte[] key, byte[] value, boolean awaited) {
        CompletableFuture<Void> f = sink.submit(key, value, awaited);
        all.add(f);
        return f;
      }
    }, "test", "test.1", MAX_RECORD);
    capture.open("127.0.0.1:5000", "127.0.0.1:9201", false);
    for (int i = 0; i < writes; i++) {
      capture.requestBytes(Unpooled.wrappedBuffer(("PUT /books/_doc/" + i + " HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
          .getBytes(StandardCharsets.UTF_8)));
      capture.requestEnd(i, "PUT", "/books/_doc/" + i, true);
      capture.flushAwaited();
    }
    capture.close(CaptureFormat.CLOSED_BY_CLIENT);
    assertEquals(writes + 1, all.size());
    return all;
  }
}
