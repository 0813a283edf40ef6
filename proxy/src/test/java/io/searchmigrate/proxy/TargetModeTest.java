package io.searchmigrate.proxy;

import static io.searchmigrate.proxy.ProxyTests.awaitCaptureSettled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.proxy.CaptureRules.SetHeader;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's target mode on one connection: a request goes where the mode said when it arrived, requests pipelined
 * behind one still in flight to the source wait for its answer and then go to the target, the client keeps its
 * connection, and only what went to the source is captured. The target's TLS certificate is verified unless told
 * otherwise. The "target" here is the same Elasticsearch reached through a header the proxy sets only towards the
 * target ({@code X-Opaque-Id}, which Elasticsearch echoes), so each answer says which way its request went.
 */
class TargetModeTest {
  @TempDir
  Path dir;

  @Test
  void pipelinedRequestsBehindOneInFlightMoveToTheTargetOnceItIsAnswered() throws Exception {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker kafka = TestKafka.shared();
    String topic = ProxyTests.topic("target-mode");
    ProxyConfig config = ProxyTests.config(es.url(), kafka.bootstrap(), topic).withTarget(new ProxyConfig.TargetCluster(
        URI.create(es.url()), null, false, List.of(new SetHeader("X-Opaque-Id", "to-target")), false, null));
    int port;
    try (ProxyServer proxy = ProxyTests.start(config)) {
      try (RawHttp client = RawHttp.connect(proxy.address())) {
        port = client.localPort();
        byte[] get = RawHttp.request("GET", "/", null, null, "X-Opaque-Id: from-client");
        assertEquals(List.of("from-client"), client.exchange(get, "GET").headers().get("x-opaque-id"));
        // in flight to the source for 5 s (it waits for nodes that never come), while the switch happens
        client.send(RawHttp.request("GET", "/_cluster/health?wait_for_nodes=9&timeout=5s", null, null, "X-Opaque-Id: from-client"));
        ProxyTests.await(Duration.ofSeconds(30), "the slow request reached the proxy", () -> proxy.requestsInFlight()[0] == 1);
        assertTrue(proxy.switchTo(true));
        client.send(get, RawHttp.json("PUT", "/target-mode/_doc/1", "{\"n\":1}", "X-Opaque-Id: from-client"));
        ProxyTests.await(Duration.ofSeconds(30), "both pipelined requests arrived", () -> proxy.requestsInFlight()[1] == 2);
        RawHttp.Response slow = client.read("GET");
        assertEquals(408, slow.status(), slow.bodyText());
        assertEquals(List.of("from-client"), slow.headers().get("x-opaque-id"), "the request in flight stayed on the source");
        assertEquals(List.of("to-target"), client.read("GET").headers().get("x-opaque-id"));
        RawHttp.Response put = client.read("PUT");
        assertEquals(201, put.status(), put.bodyText());
        assertEquals(List.of("to-target"), put.headers().get("x-opaque-id"));
        assertArrayEquals(new long[] {0, 0}, proxy.requestsInFlight());

        assertTrue(proxy.switchTo(false));
        assertEquals(false, proxy.switchTo(false), "switching to where it is already changes nothing");
        assertEquals(List.of("from-client"), client.exchange(get, "GET").headers().get("x-opaque-id"), "rolled back");
      }
      awaitCaptureSettled(proxy);
      assertEquals(1, proxy.metrics().connectionsOpened.sum(), "the client kept its one connection");
      assertEquals(2, proxy.metrics().requestsToTarget.sum());
      assertEquals(1, proxy.metrics().mutatingRequestsToTarget.sum());
      assertEquals(2, proxy.metrics().switches.sum());
    }
    CaptureAssembler.Connection captured = ProxyTests.capturedByClientPort(kafka.bootstrap(), topic).get(port);
    assertEquals(List.of(0, 1, 4), captured.exchanges().stream().map(CaptureAssembler.Exchange::index).toList(),
        "only the requests sent to the source are captured");
    assertEquals(List.of("2 GET /", "3 PUT /target-mode/_doc/1"),
        captured.skipped().stream().map(s -> s.requestIndex() + " " + s.method() + " " + s.target()).toList());
    assertTrue(captured.skipped().stream().allMatch(s -> s.reason() == CaptureFormat.SKIPPED_SENT_TO_TARGET));
  }

  @Test
  void theTargetsCertificateIsVerifiedUnlessToldOtherwise() throws Exception {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker kafka = TestKafka.shared();
    TestCertificates certificates = TestCertificates.generate(dir);
    // an https "target": a TLS proxy in front of Elasticsearch
    try (ProxyServer tlsTarget = ProxyTests.start(ProxyTests.config(es.url(), kafka.bootstrap(), ProxyTests.topic("tls-target"))
        .withTls(certificates.certificate, certificates.key))) {
      URI https = URI.create("https://localhost:" + tlsTarget.address().getPort());
      String topic = ProxyTests.topic("tls-target-verify");
      try (ProxyServer trusting = switched(ProxyTests.config(es.url(), kafka.bootstrap(), topic)
              .withTarget(new ProxyConfig.TargetCluster(https, certificates.certificate, false, List.of(), false, null)));
          ProxyServer defaults = switched(ProxyTests.config(es.url(), kafka.bootstrap(), topic)
              .withTarget(new ProxyConfig.TargetCluster(https, null, false, List.of(), false, null)));
          ProxyServer insecure = switched(ProxyTests.config(es.url(), kafka.bootstrap(), topic)
              .withTarget(new ProxyConfig.TargetCluster(https, null, true, List.of(), true, null)))) {
        assertEquals(200, ProxyTests.getRoot(trusting), "with --target-ca the certificate verifies");
        RawHttp.Response refused;
        try (RawHttp client = RawHttp.connect(defaults.address())) {
          refused = client.exchange(RawHttp.request("GET", "/"), "GET");
        }
        assertEquals(502, refused.status(), "by default the JDK's CAs do not trust a self-signed certificate");
        assertTrue(refused.bodyText().contains("the proxy cannot reach the target"), refused.bodyText());
        assertEquals(1, defaults.metrics().targetConnectFailures.sum());
        assertEquals(200, ProxyTests.getRoot(insecure), "--target-insecure skips verification (and --mode target starts there)");
        assertEquals(1, insecure.metrics().requestsToTarget.sum());
      }
    }
    try (ProxyServer none = ProxyTests.start(ProxyTests.config(es.url(), kafka.bootstrap(), ProxyTests.topic("no-target")))) {
      assertEquals("this proxy has no target cluster: start it with --target URL to switch over",
          assertThrows(IllegalStateException.class, () -> none.switchTo(true)).getMessage());
    }
  }

  private static ProxyServer switched(ProxyConfig config) {
    ProxyServer proxy = ProxyTests.start(config);
    proxy.switchTo(true);
    return proxy;
  }
}
