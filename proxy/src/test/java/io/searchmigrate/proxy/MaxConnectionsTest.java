package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Beyond --max-connections a client gets 503 with Retry-After and the connection closes; below it again, it is served. */
class MaxConnectionsTest {
  @Test
  void connectionsBeyondTheLimitGet503AndAreClosed() throws Exception {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    String bootstrap = TestKafka.shared().bootstrap();
    try (ProxyServer proxy = ProxyTests.start(ProxyTests.config(es.url(), bootstrap, ProxyTests.topic("max-connections")).withMaxConnections(2))) {
      RawHttp first = RawHttp.connect(proxy.address());
      try (RawHttp second = RawHttp.connect(proxy.address())) {
        assertEquals(200, first.exchange(RawHttp.request("GET", "/"), "GET").status());
        assertEquals(200, second.exchange(RawHttp.request("GET", "/"), "GET").status());
        try (RawHttp third = RawHttp.connect(proxy.address())) {
          RawHttp.Response refused = third.read("GET");
          assertEquals(503, refused.status());
          assertEquals(List.of("1"), refused.headers().get("retry-after"));
          assertTrue(refused.bodyText().contains("--max-connections"), refused.bodyText());
          assertTrue(third.closedByPeer(), "the refused connection is closed");
        }
        assertEquals(2, proxy.metrics().connectionsActive.get(), "the refused connection never counted as open");
        first.close();
        ProxyTests.await(Duration.ofSeconds(30), "the first connection to be closed", () -> proxy.metrics().connectionsActive.get() == 1);
        try (RawHttp again = RawHttp.connect(proxy.address())) {
          assertEquals(200, again.exchange(RawHttp.request("GET", "/"), "GET").status(), "below the limit again, clients are served");
        }
      }
    }
  }
}
