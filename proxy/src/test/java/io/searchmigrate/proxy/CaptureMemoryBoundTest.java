package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 2,000 connections each in the middle of a write, with Kafka stopped: the records connections are building and
 * those waiting for Kafka together stay within --capture-buffer (the proxy's own accounting says so), what does not
 * fit is dropped and counted, and every client is still answered. Shares the outage test's broker, which it stops.
 */
class CaptureMemoryBoundTest {
  private static final int CONNECTIONS = 2000;
  private static final long BOUND = 4L * 1024 * 1024;
  private static final int MAX_RECORD = 64 * 1024;
  /** Body bytes each client sends before it stalls: 2,000 of them want four times the bound. */
  private static final int SENT_FIRST = 8 * 1024;

  @Test
  void twoThousandConnectionsWithKafkaStoppedStayWithinTheCaptureBuffer() throws Exception {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker broker = TestKafka.dedicated("test-kafka-outage");
    String index = "memory-bound-" + Long.toString(System.currentTimeMillis(), 36);
    ProxyConfig config = ProxyTests.config(es.url(), broker.bootstrap(), ProxyTests.topic("memory-bound"))
        .withCapture(Duration.ofSeconds(2), BOUND, MAX_RECORD);
    List<RawHttp> clients = new ArrayList<>();
    try (ProxyServer proxy = ProxyTests.start(config)) {
      ProxyMetrics m = proxy.metrics();
      TestKafka.stop(broker);
      long sentBytes = 0;
      List<byte[]> rests = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        String body = "{\"n\":" + i + ",\"p\":\"" + "m".repeat(2 * SENT_FIRST) + "\"}";
        byte[] request = RawHttp.json("PUT", "/" + index + "/_doc/" + i, body);
        int headAndFirst = request.length - body.length() + SENT_FIRST;
        RawHttp client = RawHttp.connect(proxy.address());
        clients.add(client);
        client.sendRaw(Arrays.copyOf(request, headAndFirst));
        rests.add(Arrays.copyOfRange(request, headAndFirst, request.length));
        sentBytes += headAndFirst;
      }
      long expected = sentBytes;
      ProxyTests.await(Duration.ofSeconds(120), "the proxy has read what the clients sent",
          () -> m.requests.sum() == CONNECTIONS && m.requestBytes.sum() == expected);
      assertEquals(CONNECTIONS, m.connectionsActive.get());
      assertTrue(m.captureBuildingBytes.get() + m.captureBufferedBytes.get() <= BOUND,
          "building " + m.captureBuildingBytes.get() + " + waiting " + m.captureBufferedBytes.get() + " within " + BOUND);
      assertTrue(m.captureRecordsDropped.sum() > 0, "2,000 connections wanted " + (long) CONNECTIONS * SENT_FIRST + " bytes: some were dropped");

      for (int i = 0; i < CONNECTIONS; i++) {
        clients.get(i).sendRaw(rests.get(i));
      }
      for (int i = 0; i < CONNECTIONS; i++) {
        RawHttp.Response answer = clients.get(i).read("PUT");
        assertEquals(201, answer.status(), "client " + i + ": " + answer.bodyText());
      }
      long peak = m.captureMemoryPeakBytes.get();
      assertTrue(peak <= BOUND, "capture memory peaked at " + peak + " bytes, above the bound " + BOUND);
      assertTrue(peak > BOUND / 2, "the bound was what limited capture memory: peak " + peak);
      assertTrue(m.prometheusText().contains("searchmigrate_proxy_capture_memory_peak_bytes " + peak + "\n"));
      assertEquals(CONNECTIONS, m.captureAtRisk.sum(), "Kafka was stopped: every write went on at risk (forward mode)");
    } finally {
      for (RawHttp c : clients) {
        c.close();
      }
      TestKafka.dedicated(broker.name()); // running again for the next test that uses it
    }
  }
}
