package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests, oversized heads and slow clients each get their answer (400, 431, 408) on their own
 * connection, which then closes; a connection serving requests at the same time never notices.
 */
class BadInputTest {
  private static ProxyServer proxy;

  @BeforeAll
  static void start() {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    proxy = ProxyTests.start(ProxyTests.config(es.url(), TestKafka.shared().bootstrap(), ProxyTests.topic("bad-input"))
        .withLimits(8 * 1024, Duration.ofSeconds(1), Duration.ofMinutes(5)));
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.shutdown();
    }
  }

  @Test
  void badClientsGetTheirAnswerAndAConcurrentConnectionIsUnaffected() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger goodAnswers = new AtomicInteger();
    List<String> goodFailures = new CopyOnWriteArrayList<>();
    Thread good = new Thread(() -> {
      try (RawHttp client = RawHttp.connect(proxy.address())) {
        while (!stop.get()) {
          RawHttp.Response r = client.exchange(RawHttp.request("GET", "/_cluster/health"), "GET");
          if (r.status() != 200 || !r.bodyText().contains("cluster_name")) {
            goodFailures.add(r.statusLine());
          }
          goodAnswers.incrementAndGet();
        }
      } catch (IOException | RuntimeException e) {
        goodFailures.add(e.toString());
      }
    }, "good-client");
    good.start();
    try {
      ProxyTests.await(Duration.ofSeconds(30), "the good connection is served", () -> goodAnswers.get() > 0);
      rejected(400, "GARBAGE\r\n\r\n");
      rejected(400, "GET /_cluster/health HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n");
      rejected(431, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");
      rejected(400, "POST /x/_doc HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n");
      rejected(400, "POST /x/_doc HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      rejected(505, "GET / HTTP/2.0\r\nHost: x\r\n\r\n");
      // a bad chunk after the head went to the source: that request cannot be completed
      rejected(400, "POST /bad-chunk/_doc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
      // a head that never completes (a slow client) is cut off after the head timeout (1 s here)
      rejected(408, "GET / HTTP/1.1\r\nHost: x\r\n");

      // earlier pipelined requests still get their answers before the 400
      try (RawHttp bad = RawHttp.connect(proxy.address())) {
        bad.sendRaw(("GET /_cluster/health HTTP/1.1\r\nHost: x\r\n\r\nGET /_cluster/health HTTP/1.1\r\nHost: x\r\n\r\n"
            + "NOT HTTP AT ALL\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(200, bad.read("GET").status());
        assertEquals(200, bad.read("GET").status());
        assertEquals(400, bad.read("GET").status());
        assertTrue(bad.closedByPeer(), "closed after the 400");
      }
      int before = goodAnswers.get();
      ProxyTests.await(Duration.ofSeconds(30), "the good connection is still served", () -> goodAnswers.get() > before + 10);
    } finally {
      stop.set(true);
      good.join(60_000);
    }
    assertEquals(List.of(), goodFailures, "the concurrent good connection saw only 200s");
    assertEquals(9, proxy.metrics().badRequests.sum());
  }

  private static void rejected(int status, String bytes) throws IOException {
    try (RawHttp bad = RawHttp.connect(proxy.address())) {
      bad.sendRaw(bytes.getBytes(StandardCharsets.ISO_8859_1));
      RawHttp.Response answer = bad.read("GET");
      assertEquals(status, answer.status(), () -> "answer to " + ProxyTests.preview(bytes.getBytes(StandardCharsets.ISO_8859_1)));
      assertEquals("close", answer.header("connection"));
      assertTrue(bad.closedByPeer(), "the bad connection is closed after its answer");
    }
  }
}
