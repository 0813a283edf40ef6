package io.searchmigrate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster client against a real TLS server: certificates and host names are verified unless the user opts out,
 * a CA file makes a private certificate authority trusted, and basic auth goes out without ever being printed.
 */
class ClusterClientTlsTest {
  private static final char[] STORE_PASSWORD = "changeit".toCharArray();

  @TempDir
  Path temp;

  private HttpsServer server;

  /** A self-signed certificate for the given subject alternative names, as a PKCS12 key store and a PEM file. */
  private Path certificate(String name, String san) throws Exception {
    Path store = temp.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name, "-ext", "SAN=" + san,
        "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", "changeit",
        "-file", temp.resolve(name + ".pem").toString());
    return store;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + output);
  }

  /** An HTTPS server answering like a cluster, and 401 without the expected credentials. */
  private ClusterEndpoint serve(Path keyStore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      ks.load(in, STORE_PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, STORE_PASSWORD);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    String expected = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));
    server.createContext("/", exchange -> {
      boolean authorized = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = (authorized ? "{\"version\":{\"number\":\"2.19.1\",\"distribution\":\"opensearch\"}}"
          : "{\"error\":{\"type\":\"security_exception\",\"reason\":\"missing authentication credentials\"}}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return ClusterEndpoint.of("https://127.0.0.1:" + server.getAddress().getPort()).withBasicAuth("admin", Secret.of("s3cret"));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void privateCertificatesAreRefusedUnlessTrustedOrVerificationIsTurnedOff() throws Exception {
    ClusterEndpoint endpoint = serve(certificate("cluster", "ip:127.0.0.1,dns:localhost"));

    ClusterUnreachableException refused = assertThrows(ClusterUnreachableException.class,
        () -> ClusterClient.connect(endpoint).get("/"));
    assertTrue(refused.getMessage().startsWith("cannot reach " + endpoint.url() + ": TLS failed ("), refused.getMessage());
    assertTrue(refused.getMessage().contains("pass its certificate with --*-ca-cert FILE; --*-insecure turns verification off"));
    assertFalse(refused.getMessage().contains("s3cret"), "the password never shows");

    ClusterClient trusted = ClusterClient.connect(endpoint.withCaCertificate(temp.resolve("cluster.pem").toString()));
    assertEquals("2.19.1", trusted.getJson("/").path("version").path("number").asText());

    ClusterClient insecure = ClusterClient.connect(endpoint.withInsecureTls(true));
    assertEquals(200, insecure.get("/").status());
  }

  @Test
  void theHostNameIsVerifiedToo() throws Exception {
    ClusterEndpoint endpoint = serve(certificate("elsewhere", "dns:elsewhere.example"));
    ClusterClient trustedButWrongName = ClusterClient.connect(endpoint.withCaCertificate(temp.resolve("elsewhere.pem").toString()));
    ClusterUnreachableException e = assertThrows(ClusterUnreachableException.class, () -> trustedButWrongName.get("/"));
    assertTrue(e.getMessage().contains("TLS failed"), e.getMessage());
    assertEquals(200, ClusterClient.connect(endpoint.withInsecureTls(true)).get("/").status(), "only an explicit opt-out skips it");
  }

  @Test
  void credentialsAreSentAndAnswersWithoutThemAreClear() throws Exception {
    ClusterEndpoint endpoint = serve(certificate("cluster", "ip:127.0.0.1")).withInsecureTls(true);
    assertEquals(200, ClusterClient.connect(endpoint).get("/").status());
    ClusterEndpoint anonymous = ClusterEndpoint.of(endpoint.url()).withInsecureTls(true);
    ClusterRequestException e = assertThrows(ClusterRequestException.class, () -> ClusterClient.connect(anonymous).getJson("/"));
    assertEquals("GET / failed with HTTP 401: security_exception: missing authentication credentials", e.getMessage());
  }

  @Test
  void aMissingCaFileIsAClearError() {
    ClusterEndpoint endpoint = ClusterEndpoint.of("https://127.0.0.1:1").withCaCertificate(temp.resolve("nope.pem").toString());
    io.searchmigrate.common.UserError e = assertThrows(io.searchmigrate.common.UserError.class, () -> ClusterClient.connect(endpoint));
    assertEquals("CA certificate file " + temp.resolve("nope.pem") + " does not exist or is not readable", e.getMessage());
  }
}
