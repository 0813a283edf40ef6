package io.searchmigrate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.version.ClusterVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user is told when a URL points at the wrong thing: each message says what was found and what to do. */
class ClusterClientErrorsTest {
  /** A server that reads a little of each connection, writes {@code answer} (maybe nothing) and closes it. */
  private static ServerSocket rawServer(byte[] answer) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread loop = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          s.getInputStream().read(new byte[512]);
          s.getOutputStream().write(answer);
          s.getOutputStream().flush();
        } catch (IOException closedOrReset) {
          // the next connection, or the end of the test
        }
      }
    });
    loop.setDaemon(true);
    loop.start();
    return server;
  }

  @Test
  void aPortThatClosesWithoutAnHttpAnswerIsNamedAsNotTheClustersHttpPort() throws Exception {
    try (ServerSocket silent = rawServer(new byte[0])) {
      String url = "http://127.0.0.1:" + silent.getLocalPort();
      ClusterUnreachableException e = assertThrows(ClusterUnreachableException.class,
          () -> ClusterClient.connect(ClusterEndpoint.of(url)).get("/"));
      assertEquals("cannot reach " + url + ": it closed the connection without an HTTP answer. Is this the HTTP port of "
          + "Elasticsearch or OpenSearch (9200 by default), not another service's?", e.getMessage());
    }
  }

  @Test
  void httpsAgainstAPlainHttpPortSaysToUseHttp() throws Exception {
    // as Elasticsearch does: a TLS greeting is not HTTP, so it answers 400 in plain text
    try (ServerSocket plain = rawServer("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))) {
      String port = Integer.toString(plain.getLocalPort());
      ClusterUnreachableException tls = assertThrows(ClusterUnreachableException.class,
          () -> ClusterClient.connect(ClusterEndpoint.of("https://127.0.0.1:" + port)).get("/"));
      assertEquals("cannot reach https://127.0.0.1:" + port + ": it answers plain HTTP, not TLS. Use http://127.0.0.1:" + port
          + " instead", tls.getMessage());
    }
  }

  @Test
  void anHttpServerThatIsNotAClusterIsToldApart() throws Exception {
    try (FixedAnswerServer server = FixedAnswerServer.start(404, "{\"error\":\"no handler\"}")) {
      String url = server.url();
      UserError other = assertThrows(UserError.class, () -> ClusterVersion.detect(ClusterClient.connect(ClusterEndpoint.of(url))));
      assertTrue(other.getMessage().startsWith("cannot tell what " + url + " is: GET / answered HTTP 404"), other.getMessage());
      assertTrue(other.getMessage().endsWith("where Elasticsearch and OpenSearch answer with their version. Check that the "
          + "URL points at the cluster's HTTP port (9200 by default), not at another service or a path below it"),
          other.getMessage());
    }
  }

  @Test
  void aMissingPasswordFileIsSaidToBeMissing(@TempDir Path dir) {
    Path missing = dir.resolve("nofile");
    UserError e = assertThrows(UserError.class, () -> Secret.fromFile(missing));
    assertEquals("cannot read the password file " + missing + ": it does not exist", e.getMessage());
  }
}
