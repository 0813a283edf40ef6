package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.launcher.LocalCluster;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code --no-capture}: the proxy forwards every request and answer unchanged in front of a real Elasticsearch, and
 * does no capture work at all (no record is built, so none of the capture budget is ever taken).
 */
class ForwardOnlyTest {
  @Test
  void forwardsWritesReadsAndPipelinedRequestsWithoutBuildingAnyCapture() throws Exception {
    LocalCluster es = io.searchmigrate.testkit.TestClusters.elasticsearch("7.10.2");
    String index = "forward-only-" + Long.toString(System.currentTimeMillis(), 36);
    try (ProxyServer proxy = ProxyServer.start(ProxyTests.config(es.url(), null, null));
        RawHttp client = RawHttp.connect(proxy.address())) {
      RawHttp.Response created = client.exchange(RawHttp.json("PUT", "/" + index + "/_doc/1?refresh=true",
          "{\"title\":\"forwarded\"}", "Authorization: Basic dXNlcjpzZWNyZXQ="), "PUT");
      assertEquals(201, created.status(), new String(created.raw(), StandardCharsets.ISO_8859_1));

      // two requests in one write: both answered, in order
      client.send(RawHttp.request("GET", "/" + index + "/_doc/1"), RawHttp.request("GET", "/" + index + "/_doc/2"));
      RawHttp.Response found = client.read("GET");
      RawHttp.Response missing = client.read("GET");
      assertEquals(200, found.status());
      assertTrue(new String(found.body(), StandardCharsets.UTF_8).contains("\"_source\":{\"title\":\"forwarded\"}"),
          new String(found.body(), StandardCharsets.UTF_8));
      assertEquals(404, missing.status());
      // the answers as Elasticsearch gives them without the proxy, byte for byte
      URI source = URI.create(es.url());
      try (RawHttp direct = RawHttp.connect(new InetSocketAddress(source.getHost(), source.getPort()))) {
        assertArrayEquals(direct.exchange(RawHttp.request("GET", "/" + index + "/_doc/1"), "GET").raw(), found.raw());
        assertArrayEquals(direct.exchange(RawHttp.request("GET", "/" + index + "/_doc/2"), "GET").raw(), missing.raw());
      }
    }
  }

  @Test
  void noCaptureBufferIsEverTaken() throws Exception {
    LocalCluster es = io.searchmigrate.testkit.TestClusters.elasticsearch("7.10.2");
    try (ProxyServer proxy = ProxyServer.start(ProxyTests.config(es.url(), null, null))) {
      try (RawHttp client = RawHttp.connect(proxy.address())) {
        for (int i = 0; i < 20; i++) {
          assertEquals(200, client.exchange(RawHttp.request("GET", "/"), "GET").status());
        }
      }
      ProxyTests.await(Duration.ofSeconds(30), "the connection closed", () -> proxy.metrics().connectionsActive.get() == 0);
      assertEquals(20, proxy.metrics().requests.sum());
      assertEquals(20, proxy.metrics().responses.sum());
      assertEquals(0, proxy.metrics().captureMemoryPeakBytes.get(), "no capture record was built");
      assertEquals(0, proxy.metrics().captureRecordsSubmitted.sum());
    }
  }
}
