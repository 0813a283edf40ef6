package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Shutdown stops accepting at once, lets the request in flight finish, closes idle connections and stores the captures. */
class GracefulShutdownTest {
  @Test
  void aRequestInFlightFinishesAndItsCaptureIsStored() throws Exception {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker kafka = TestKafka.shared();
    String topic = ProxyTests.topic("shutdown");
    ProxyServer proxy = ProxyTests.start(ProxyTests.config(es.url(), kafka.bootstrap(), topic));
    InetSocketAddress address = proxy.address();
    try (RawHttp slow = RawHttp.connect(address); RawHttp idle = RawHttp.connect(address)) {
      assertEquals(200, idle.exchange(RawHttp.request("GET", "/"), "GET").status());
      // Elasticsearch holds this request for 3 s (the node count never reaches 5)
      slow.send(RawHttp.request("GET", "/_cluster/health?wait_for_nodes=5&timeout=3s"));
      ProxyTests.await(Duration.ofSeconds(30), "the slow request reached the proxy", () -> proxy.metrics().requests.sum() == 2);
      // what follows proves something only if the slow answer is still to come (it takes 3 s; we are milliseconds in)
      assertEquals(1, proxy.metrics().responses.sum(), "the slow request is in flight when the shutdown begins");
      CompletableFuture<Void> shutdown = CompletableFuture.runAsync(proxy::shutdown);

      ProxyTests.await(Duration.ofSeconds(30), "the proxy stops accepting", () -> {
        try (RawHttp late = RawHttp.connect(address)) {
          return false;
        } catch (IOException refused) {
          return true;
        }
      });
      assertTrue(idle.closedByPeer(), "an idle keep-alive connection is closed at once");
      RawHttp.Response answer = slow.read("GET");
      assertTrue(answer.bodyText().contains("\"timed_out\":true"), "the request in flight got its whole answer: " + answer.bodyText());
      assertTrue(slow.closedByPeer(), "then its connection is closed");
      shutdown.get();
      assertThrows(IOException.class, () -> RawHttp.connect(address).close());

      CaptureAssembler.Connection captured = ProxyTests.capturedByClientPort(kafka.bootstrap(), topic).get(slow.localPort());
      ProxyTests.assertCapturedExactly(captured, slow.transcript());
      assertEquals(CaptureFormat.CLOSED_BY_PROXY, captured.closedBy());
    } finally {
      proxy.shutdown();
    }
  }
}
