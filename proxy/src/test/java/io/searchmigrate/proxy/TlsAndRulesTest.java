package io.searchmigrate.proxy;

import static io.searchmigrate.proxy.ProxyTests.awaitCaptureSettled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.proxy.CaptureRules.HeaderMatch;
import io.searchmigrate.proxy.CaptureRules.SetHeader;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS towards clients with a certificate generated here, suppression rules (method, path, header) and a
 * header set towards the source; and TLS towards the source, verified by default.
 */
class TlsAndRulesTest {
  @TempDir
  Path dir;

  @Test
  void tlsClientsGetAnswersWhileRulesDecideWhatIsCapturedAndWhatTheSourceSees() throws Exception {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker kafka = TestKafka.shared();
    TestCertificates certificates = TestCertificates.generate(dir);
    String topic = ProxyTests.topic("tls-rules");
    CaptureRules rules = new CaptureRules(List.of(Pattern.compile("HEAD")), List.of(Pattern.compile("/_cat/.*")),
        List.of(new HeaderMatch("X-No-Capture", Pattern.compile("yes"))),
        List.of(new SetHeader("X-Opaque-Id", "set-by-proxy")));
    String index = "tls-" + Long.toString(System.currentTimeMillis(), 36);
    try (ProxyServer proxy = ProxyTests.start(ProxyTests.config(es.url(), kafka.bootstrap(), topic)
        .withTls(certificates.certificate, certificates.key).withRules(rules))) {
      List<RawHttp.Sent> sent;
      int port;
      try (RawHttp client = certificates.connect(proxy.address())) {
        // Elasticsearch echoes X-Opaque-Id: the source saw the proxy's value, not the client's
        RawHttp.Response root = client.exchange(RawHttp.request("GET", "/", null, null, "X-Opaque-Id: from-client"), "GET");
        assertEquals(200, root.status());
        assertEquals(List.of("set-by-proxy"), root.headers().get("x-opaque-id"));
        assertEquals(200, client.exchange(RawHttp.request("GET", "/_cat/indices"), "GET").status());
        assertEquals(200, client.exchange(RawHttp.request("HEAD", "/"), "HEAD").status());
        assertEquals(200, client.exchange(RawHttp.request("GET", "/_cluster/health", null, null, "X-No-Capture: yes"), "GET").status());
        assertEquals(201, client.exchange(RawHttp.json("PUT", "/" + index + "/_doc/1", "{\"over\":\"tls\"}"), "PUT").status());
        RawHttp.Response doc = client.exchange(RawHttp.request("GET", "/" + index + "/_doc/1"), "GET");
        assertTrue(doc.bodyText().contains("{\"over\":\"tls\"}"), doc.bodyText());
        sent = client.transcript();
        port = client.localPort();
      }
      awaitCaptureSettled(proxy);
      assertEquals(3, proxy.metrics().requestsSuppressed.sum());

      CaptureAssembler.Connection captured = ProxyTests.capturedByClientPort(kafka.bootstrap(), topic).get(port);
      assertTrue(captured.open().tls(), "the capture says the client used TLS");
      assertEquals(List.of(0, 4, 5), captured.exchanges().stream().map(CaptureAssembler.Exchange::index).toList(),
          "only the requests no rule matched are captured");
      int[] capturedSteps = {0, 4, 5};
      for (int i = 0; i < capturedSteps.length; i++) {
        CaptureAssembler.Exchange e = captured.exchanges().get(i);
        assertArrayEquals(sent.get(capturedSteps[i]).request(), e.request(), "the decrypted request as the client sent it");
        assertArrayEquals(sent.get(capturedSteps[i]).response(), e.response(), "the response as the client got it");
      }
      String firstRequest = new String(captured.exchanges().get(0).request(), StandardCharsets.ISO_8859_1);
      assertTrue(firstRequest.contains("X-Opaque-Id: from-client"), "captures keep the client's own headers");
      assertFalse(firstRequest.contains("set-by-proxy"), "values the proxy sets (often credentials) are not captured");
      assertEquals(List.of("GET /_cat/indices", "HEAD /", "GET /_cluster/health"),
          captured.skipped().stream().map(s -> s.method() + " " + s.target()).toList());
      assertTrue(captured.skipped().stream().allMatch(s -> s.reason() == 1));
      assertEquals(List.of(1, 2, 3), captured.skipped().stream().map(CaptureRecord.RequestSkipped::requestIndex).toList());
    }
  }

  @Test
  void theSourcesCertificateIsVerifiedUnlessToldOtherwise() throws Exception {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker kafka = TestKafka.shared();
    TestCertificates certificates = TestCertificates.generate(dir);
    // an https "source": a TLS proxy in front of Elasticsearch
    try (ProxyServer tlsSource = ProxyTests.start(ProxyTests.config(es.url(), kafka.bootstrap(), ProxyTests.topic("tls-source"))
        .withTls(certificates.certificate, certificates.key))) {
      String https = "https://localhost:" + tlsSource.address().getPort();
      String topic = ProxyTests.topic("tls-verify");
      try (ProxyServer trusting = ProxyTests.start(ProxyTests.config(https, kafka.bootstrap(), topic)
              .withSourceTls(certificates.certificate, false));
          ProxyServer defaults = ProxyTests.start(ProxyTests.config(https, kafka.bootstrap(), topic));
          ProxyServer insecure = ProxyTests.start(ProxyTests.config(https, kafka.bootstrap(), topic).withSourceTls(null, true))) {
        assertEquals(200, ProxyTests.getRoot(trusting), "with --source-ca the certificate verifies");
        RawHttp.Response refused;
        try (RawHttp client = RawHttp.connect(defaults.address())) {
          refused = client.exchange(RawHttp.request("GET", "/"), "GET");
        }
        assertEquals(502, refused.status(), "by default the JDK's CAs do not trust a self-signed certificate");
        assertTrue(refused.bodyText().contains("the proxy cannot reach the source"), refused.bodyText());
        assertEquals(1, defaults.metrics().sourceConnectFailures.sum());
        assertEquals(200, ProxyTests.getRoot(insecure), "--source-insecure skips verification");
      }
    }
  }
}
