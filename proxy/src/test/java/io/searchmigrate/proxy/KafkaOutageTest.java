package io.searchmigrate.proxy;

import static io.searchmigrate.proxy.ProxyTests.assertCapturedExactly;
import static io.searchmigrate.proxy.ProxyTests.await;
import static io.searchmigrate.proxy.ProxyTests.awaitCaptureSettled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kafka stops in the middle of traffic: clients keep getting their answers, the counters say what was
 * dropped and which writes went on without a confirmed capture, and once Kafka is back new traffic is
 * captured again. Uses a broker of its own, since it stops it.
 */
class KafkaOutageTest {
  private static final int CAPTURE_BUFFER = 64 * 1024;

  @Test
  void clientsAreServedThroughAnOutageAndCaptureResumesAfterIt() throws Exception {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker broker = TestKafka.dedicated("test-kafka-outage");
    String topic = ProxyTests.topic("outage");
    String index = "outage-" + Long.toString(System.currentTimeMillis(), 36);
    ProxyConfig config = ProxyTests.config(es.url(), broker.bootstrap(), topic)
        .withCapture(Duration.ofSeconds(2), CAPTURE_BUFFER, 16 * 1024);
    try (ProxyServer proxy = ProxyTests.start(config)) {
      ProxyMetrics m = proxy.metrics();

      List<RawHttp.Sent> before;
      int beforePort;
      try (RawHttp client = RawHttp.connect(proxy.address())) {
        assertEquals(200, client.exchange(RawHttp.json("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0}}"), "PUT").status());
        assertEquals(201, client.exchange(RawHttp.json("PUT", "/" + index + "/_doc/before", "{\"when\":\"before\"}"), "PUT").status());
        before = client.transcript();
        beforePort = client.localPort();
      }
      awaitCaptureSettled(proxy);
      assertEquals(2, m.captureConfirmed.sum());

      TestKafka.stop(broker);
      String padding = "x".repeat(2000);
      long started = System.nanoTime();
      try (RawHttp client = RawHttp.connect(proxy.address())) {
        for (int i = 0; i < 40; i++) {
          String doc = "{\"when\":\"during\",\"i\":" + i + ",\"padding\":\"" + padding + "\"}";
          RawHttp.Response put = client.exchange(RawHttp.json("PUT", "/" + index + "/_doc/d" + i, doc), "PUT");
          assertEquals(201, put.status(), put.bodyText());
          RawHttp.Response get = client.exchange(RawHttp.request("GET", "/" + index + "/_doc/d" + i), "GET");
          assertEquals(200, get.status());
          assertTrue(get.bodyText().contains(doc), "the document written during the outage reads back");
        }
      }
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      // only the first write waits out the hold timeout; after it the proxy knows Kafka is down
      assertTrue(seconds < 30, "80 requests during the outage took " + seconds + " s");
      assertEquals(40, m.captureAtRisk.sum(), "every write during the outage went on without a confirmed capture");
      assertEquals(2, m.captureConfirmed.sum());
      assertTrue(m.captureRecordsDropped.sum() > 0, "more than " + CAPTURE_BUFFER + " bytes were captured, so some were dropped");
      assertTrue(m.captureBufferedBytes.get() <= CAPTURE_BUFFER, "the buffer bound holds: " + m.captureBufferedBytes.get());
      long droppedBefore = m.captureRecordsDropped.sum();
      String metricsText = m.prometheusText();
      assertTrue(metricsText.contains("searchmigrate_proxy_kafka_up 0\n"), "metrics report Kafka down");
      // the outage connection's last records may still be dropped meanwhile: the text shows at least what was counted
      long droppedInText = metric(metricsText, "searchmigrate_proxy_capture_records_dropped_total");
      assertTrue(droppedInText >= droppedBefore && droppedInText <= m.captureRecordsDropped.sum(),
          "metrics text shows the dropped records: " + droppedInText + " (counted " + droppedBefore + " before)");
      HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + proxy.adminAddress().getPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), "the proxy is still serving");
      assertTrue(health.body().contains("\"kafka\":\"down\""), health.body());

      TestKafka.restart(broker);
      await(Duration.ofSeconds(120), "Kafka acknowledges captures again", () -> proxy.metrics().prometheusText()
          .contains("searchmigrate_proxy_kafka_up 1\n"));

      List<RawHttp.Sent> after;
      int afterPort;
      try (RawHttp client = RawHttp.connect(proxy.address())) {
        assertEquals(201, client.exchange(RawHttp.json("PUT", "/" + index + "/_doc/after", "{\"when\":\"after\"}"), "PUT").status());
        assertEquals(200, client.exchange(RawHttp.request("GET", "/" + index + "/_doc/after"), "GET").status());
        after = client.transcript();
        afterPort = client.localPort();
      }
      assertEquals(3, m.captureConfirmed.sum(), "the write after the outage waited for its capture again");
      awaitCaptureSettled(proxy);

      Map<Integer, CaptureAssembler.Connection> captured = ProxyTests.capturedByClientPort(broker.bootstrap(), topic);
      assertCapturedExactly(captured.get(beforePort), before);
      assertNotNull(captured.get(afterPort), "the connection after the outage was captured");
      assertCapturedExactly(captured.get(afterPort), after);
      assertEquals(3, captured.size(), "before, during (partly) and after");
      CaptureAssembler.Connection during = captured.values().stream()
          .filter(c -> !c.id().equals(captured.get(beforePort).id()) && !c.id().equals(captured.get(afterPort).id())).findFirst().orElseThrow();
      assertTrue(!during.missingSequences().isEmpty() || !during.ended(), "the lost part of the outage connection shows as a gap");
    }
  }

  private static long metric(String prometheusText, String name) {
    return prometheusText.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> Long.parseLong(l.substring(name.length() + 1).trim()))
        .findFirst().orElseThrow(() -> new AssertionError(name + " missing from the metrics"));
  }
}
