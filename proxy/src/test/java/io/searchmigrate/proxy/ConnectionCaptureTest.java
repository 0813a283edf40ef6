package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.proxy.capture.CaptureBudget;
import io.searchmigrate.proxy.capture.CaptureSink;
import io.searchmigrate.proxy.capture.ConnectionCapture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The proxy's writer produces capture records in the format the capture module reads (byte for byte what
 * {@link CaptureRecord#encode()} writes), under their size bound, that reassemble in any order.
 */
class ConnectionCaptureTest {
  /** A sink for the writer alone: always healthy, nothing to close. */
  abstract static class TestSink implements CaptureSink {
    @Override
    public boolean healthy() {
      return true;
    }

    @Override
    public void markUnhealthy() {}

    @Override
    public void close(long timeoutMillis) {}
  }

  /** Keeps what it is given. */
  private static final class ListSink extends TestSink {
    final List<byte[]> values = new ArrayList<>();

    @Override
    public CompletableFuture<Void> submit(byte[] key, byte[] value, boolean awaited) {
      assertEquals("node-1.7", new String(key, StandardCharsets.UTF_8));
      values.add(value);
      return CompletableFuture.completedFuture(null);
    }
  }

  @Test
  void largePayloadsAreSplitUnderTheBoundAndReassembleInAnyOrder() {
    ListSink sink = new ListSink();
    int bound = 16 * 1024;
    ConnectionCapture capture = new ConnectionCapture(sink, "node-1", "node-1.7", bound);
    byte[] request = new byte[100_000];
    byte[] response = new byte[70_000];
    new Random(1).nextBytes(request);
    new Random(2).nextBytes(response);
    capture.open("127.0.0.1:5000", "127.0.0.1:9200", false);
    capture.requestBytes(Unpooled.wrappedBuffer(request, 0, 60_000));
    capture.requestBytes(Unpooled.wrappedBuffer(request, 60_000, 40_000));
    capture.requestEnd(0, "PUT", "/i/_doc/1", true);
    capture.flush();
    capture.responseBytes(Unpooled.wrappedBuffer(response));
    capture.responseEnd(0, 201);
    capture.requestSkipped(1, "GET", "/_cat/health", CaptureFormat.SKIPPED_BY_RULE);
    capture.close(CaptureFormat.CLOSED_BY_CLIENT);
    capture.close(CaptureFormat.CLOSED_BY_CLIENT); // a second close adds nothing

    assertTrue(sink.values.size() >= (request.length + response.length) / bound, sink.values.size() + " records");
    List<CaptureRecord> records = new ArrayList<>();
    for (int i = 0; i < sink.values.size(); i++) {
      byte[] value = sink.values.get(i);
      assertTrue(value.length <= bound, "record " + i + " has " + value.length + " bytes");
      CaptureRecord record = CaptureRecord.decode(value);
      assertArrayEquals(value, record.encode(), "record " + i + " is written exactly as the format's own encoder writes it");
      assertEquals(i, record.sequence());
      assertEquals(i == sink.values.size() - 1, record.last());
      assertEquals("node-1", record.nodeId());
      records.add(record);
    }
    Collections.shuffle(records, new Random(3));
    CaptureAssembler assembler = new CaptureAssembler();
    records.forEach(assembler::add);
    CaptureAssembler.Connection connection = assembler.connections().get(0);
    assertEquals(List.of(), connection.missingSequences());
    assertEquals("127.0.0.1:5000", connection.open().clientAddress());
    assertEquals(1, connection.exchanges().size());
    CaptureAssembler.Exchange exchange = connection.exchanges().get(0);
    assertArrayEquals(request, exchange.request());
    assertArrayEquals(response, exchange.response());
    assertEquals(201, exchange.status());
    assertTrue(exchange.mutating() && exchange.complete());
    assertEquals("GET /_cat/health", connection.skipped().get(0).method() + " " + connection.skipped().get(0).target());
    assertEquals(CaptureFormat.CLOSED_BY_CLIENT, connection.closedBy());

    records.removeIf(r -> r.sequence() == 2);
    CaptureAssembler gappy = new CaptureAssembler();
    records.forEach(gappy::add);
    CaptureAssembler.Connection lossy = gappy.connections().get(0);
    assertEquals(List.of(2L), lossy.missingSequences());
    assertTrue(!lossy.exchanges().get(0).complete(), "an exchange that lost bytes is not complete");
  }

  @Test
  void longTextsAreCutToTheirBoundAndErrorsAreWrittenAsTheFormatWritesThem() {
    ListSink sink = new ListSink();
    ConnectionCapture capture = new ConnectionCapture(sink, "node-1", "node-1.7", 64 * 1024);
    capture.requestEnd(0, "GET", "/" + "a".repeat(5000), false);
    capture.error("the source closed the connection");
    capture.flush();

    assertEquals(1, sink.values.size());
    CaptureRecord record = CaptureRecord.decode(sink.values.get(0));
    assertArrayEquals(sink.values.get(0), record.encode());
    CaptureRecord.RequestEnd end = (CaptureRecord.RequestEnd) record.observations().get(0);
    assertEquals(4096, end.target().length(), "targets are kept to 4 KiB (the exact request is in the bytes)");
    assertEquals("the source closed the connection", ((CaptureRecord.Error) record.observations().get(1)).message());
    assertEquals(false, record.last());
  }

  /** Answers nothing until told: each submitted record's future, in order. */
  private static final class PendingSink extends TestSink {
    final List<CompletableFuture<Void>> acks = new ArrayList<>();

    @Override
    public CompletableFuture<Void> submit(byte[] key, byte[] value, boolean awaited) {
      CompletableFuture<Void> ack = new CompletableFuture<>();
      acks.add(ack);
      return ack;
    }
  }

  @Test
  void aWriteSplitAcrossRecordsIsConfirmedOnlyWhenEveryRecordIsAcknowledged() {
    PendingSink sink = new PendingSink();
    ConnectionCapture capture = new ConnectionCapture(sink, "node-1", "node-1.7", 16 * 1024);
    capture.requestBytes(Unpooled.wrappedBuffer(new byte[40_000]));
    capture.requestEnd(0, "POST", "/_bulk", true);
    CompletableFuture<Void> write = capture.flushAwaited();
    assertEquals(3, sink.acks.size(), "40,000 bytes under a 16 KiB bound take three records");
    sink.acks.get(2).complete(null);
    sink.acks.get(0).complete(null);
    assertTrue(!write.isDone(), "the middle record is not acknowledged yet");
    sink.acks.get(1).complete(null);
    assertTrue(write.isDone() && !write.isCompletedExceptionally(), "all three acknowledged");

    capture.requestBytes(Unpooled.wrappedBuffer(new byte[40_000]));
    capture.requestEnd(1, "POST", "/_bulk", true);
    CompletableFuture<Void> second = capture.flushAwaited();
    assertEquals(6, sink.acks.size());
    sink.acks.get(3).completeExceptionally(new IllegalStateException("capture buffer full"));
    assertTrue(second.isCompletedExceptionally(), "one lost record fails the write at once, before the others answer");

    capture.responseBytes(Unpooled.wrappedBuffer(new byte[100]));
    capture.responseEnd(1, 200);
    capture.flush();
    capture.requestBytes(Unpooled.wrappedBuffer(new byte[100]));
    capture.requestEnd(2, "PUT", "/books/_doc/1", true);
    CompletableFuture<Void> third = capture.flushAwaited();
    assertEquals(8, sink.acks.size());
    sink.acks.get(7).complete(null);
    assertTrue(!third.isDone(), "the record stored before it since the last write counts too (a gap before a request makes replay skip it)");
    sink.acks.get(6).complete(null);
    assertTrue(third.isDone() && !third.isCompletedExceptionally(), "earlier failures belong to the earlier write only");
  }

  @Test
  void connectionsShareTheBudgetAndWhatDoesNotFitLeavesAGap() {
    ProxyMetrics metrics = new ProxyMetrics();
    CaptureBudget budget = new CaptureBudget(48 * 1024, metrics);
    ListSink sink = new ListSink();
    ConnectionCapture first = new ConnectionCapture(sink, budget, "node-1", "node-1.7", 64 * 1024);
    ConnectionCapture second = new ConnectionCapture(sink, budget, "node-1", "node-1.7", 64 * 1024);
    first.requestBytes(Unpooled.wrappedBuffer(new byte[30_000]));
    assertTrue(metrics.captureBuildingBytes.get() >= 30_000, "the record in the making counts: " + metrics.captureBuildingBytes.get());

    second.requestBytes(Unpooled.wrappedBuffer(new byte[20_000])); // 30,000 + 20,000 > 48 KiB
    assertEquals(1, metrics.captureRecordsDropped.sum());
    second.requestEnd(0, "PUT", "/x/_doc/1", true);
    CompletableFuture<Void> write = second.flushAwaited();
    assertTrue(write.isCompletedExceptionally(), "a write whose bytes were dropped is not confirmed");
    assertEquals(1, CaptureRecord.decode(sink.values.get(0)).sequence(), "sequence 0 was lost: readers see a gap");

    first.requestEnd(0, "PUT", "/x/_doc/1", true);
    CompletableFuture<Void> firstWrite = first.flushAwaited();
    assertTrue(firstWrite.isDone() && !firstWrite.isCompletedExceptionally(), "the first connection was unaffected");
    second.flushAndRelease(); // quiet now: its small buffer, kept for the next record until then, goes back too
    assertEquals(0, metrics.captureBuildingBytes.get(), "flushed records give their room back");
    assertTrue(metrics.captureMemoryPeakBytes.get() <= 48 * 1024, "peak " + metrics.captureMemoryPeakBytes.get());
    second.requestBytes(Unpooled.wrappedBuffer(new byte[20_000]));
    assertEquals(1, metrics.captureRecordsDropped.sum(), "with room again, capture goes on");
  }
}
