package io.searchmigrate.proxy;

import static io.searchmigrate.proxy.ProxyTests.awaitCaptureSettled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CredentialRedaction;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Credential headers are replaced by the marker in captures by default, while the source gets them unchanged;
 * {@code --capture-credentials} keeps them. Two real proxies in a chain in front of a real Elasticsearch: the
 * client talks to the outer one (defaults), whose forwarded bytes reach the inner one (keeping credentials),
 * so the inner capture shows exactly what the source received.
 */
class CredentialRedactionTest {
  private static final List<String> CREDENTIALS = List.of(
      "Authorization: Basic dXNlcjpzZWNyZXQtcGFzc3dvcmQ=",
      "Proxy-Authorization: Bearer proxy-secret-token",
      "Cookie: session=cookie-secret-value",
      "X-Api-Key: api-key-secret-value");
  private static final List<String> SECRETS = List.of("dXNlcjpzZWNyZXQtcGFzc3dvcmQ=", "proxy-secret-token", "cookie-secret-value",
      "api-key-secret-value");

  @Test
  void capturesHoldTheMarkerWhileTheSourceGetsTheRealHeaders() throws Exception {
    LocalCluster es = io.searchmigrate.testkit.TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker kafka = io.searchmigrate.testkit.TestKafka.shared();
    String innerTopic = ProxyTests.topic("credentials-kept");
    String outerTopic = ProxyTests.topic("credentials-redacted");
    String index = "cred-" + Long.toString(System.currentTimeMillis(), 36);
    try (ProxyServer inner = ProxyTests.start(ProxyTests.config(es.url(), kafka.bootstrap(), innerTopic).withCaptureCredentials(true));
        ProxyServer outer = ProxyTests.start(ProxyTests.config("http://localhost:" + inner.address().getPort(), kafka.bootstrap(), outerTopic))) {
      int port;
      try (RawHttp client = RawHttp.connect(outer.address())) {
        assertEquals(201, client.exchange(RawHttp.json("PUT", "/" + index + "/_doc/1", "{\"secret\":\"in-the-body-stays\"}",
            CREDENTIALS.toArray(String[]::new)), "PUT").status());
        port = client.localPort();
      }
      awaitCaptureSettled(outer);
      awaitCaptureSettled(inner);

      String redacted = new String(ProxyTests.capturedByClientPort(kafka.bootstrap(), outerTopic).get(port).exchanges().get(0).request(),
          StandardCharsets.ISO_8859_1);
      for (String header : List.of("Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key")) {
        assertTrue(redacted.contains("\r\n" + header + ": " + CredentialRedaction.MARKER + "\r\n"), header + " is marked in: " + redacted);
      }
      SECRETS.forEach(secret -> assertFalse(redacted.contains(secret), secret + " is not in the capture: " + redacted));
      assertTrue(redacted.endsWith("\r\n\r\n{\"secret\":\"in-the-body-stays\"}"), "the body is not touched: " + redacted);

      List<CaptureAssembler.Connection> innerConnections = List.copyOf(ProxyTests.capturedByClientPort(kafka.bootstrap(), innerTopic).values());
      assertEquals(1, innerConnections.size());
      String forwarded = new String(innerConnections.get(0).exchanges().get(0).request(), StandardCharsets.ISO_8859_1);
      CREDENTIALS.forEach(header -> assertTrue(forwarded.contains("\r\n" + header + "\r\n"),
          "the source got " + header + " unchanged, and --capture-credentials kept it: " + forwarded));
      assertFalse(forwarded.contains(CredentialRedaction.MARKER));
    }
  }

  /**
   * Response heads: Set-Cookie (and any token header) reads the marker in the capture while the client gets it whole.
   * Elasticsearch sets no cookies, so the source here is the JDK's HTTP server answering with them.
   */
  @Test
  void setCookieInResponsesIsRedactedInCapturesOnly() throws Exception {
    LocalKafka.Broker kafka = io.searchmigrate.testkit.TestKafka.shared();
    HttpServer source = HttpServer.create(new InetSocketAddress("127.0.0.1", ProxyTests.freePort()), 16);
    source.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Set-Cookie", "session=set-cookie-secret; HttpOnly");
      exchange.getResponseHeaders().add("X-Auth-Token", "response-token-secret");
      byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    source.start();
    String sourceUrl = "http://127.0.0.1:" + source.getAddress().getPort();
    try {
      for (boolean keep : new boolean[] {false, true}) {
        String topic = ProxyTests.topic("response-credentials");
        try (ProxyServer proxy = ProxyTests.start(ProxyTests.config(sourceUrl, kafka.bootstrap(), topic).withCaptureCredentials(keep))) {
          int port;
          String received;
          try (RawHttp client = RawHttp.connect(proxy.address())) {
            RawHttp.Response answer = client.exchange(RawHttp.request("GET", "/login"), "GET");
            received = new String(answer.raw(), StandardCharsets.ISO_8859_1);
            port = client.localPort();
          }
          assertTrue(received.contains("session=set-cookie-secret; HttpOnly") && received.contains("response-token-secret"),
              "the client gets the real headers: " + received);
          awaitCaptureSettled(proxy);
          String captured = new String(ProxyTests.capturedByClientPort(kafka.bootstrap(), topic).get(port).exchanges().get(0).response(),
              StandardCharsets.ISO_8859_1);
          if (keep) {
            assertEquals(received, captured, "--capture-credentials keeps the response as received");
          } else {
            assertTrue(captured.contains("\r\nSet-cookie: " + CredentialRedaction.MARKER + "\r\n")
                && captured.contains("\r\nX-auth-token: " + CredentialRedaction.MARKER + "\r\n"), "marked in: " + captured);
            assertFalse(captured.contains("set-cookie-secret") || captured.contains("response-token-secret"), captured);
            assertTrue(captured.endsWith("\r\n\r\n{\"ok\":true}"), "the body is not touched: " + captured);
          }
        }
      }
    } finally {
      source.stop(0);
    }
  }
}
