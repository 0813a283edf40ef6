package io.searchmigrate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A server that stalls in the middle of a body, or sends too much, cannot hold the client: both end in clear errors. */
class ClusterClientLimitsTest {
  private ServerSocket server;
  private Thread serving;

  /** Serves one connection: reads the request head, then lets {@code answer} write whatever it likes. */
  private ClusterEndpoint serve(BiConsumer<OutputStream, Socket> answer) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    serving = new Thread(() -> {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) { // up to the blank line after the headers
          int b = in.read();
          matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        answer.accept(socket.getOutputStream(), socket);
      } catch (IOException e) {
        // the client went away: expected once it gives up
      }
    });
    serving.setDaemon(true);
    serving.start();
    return ClusterEndpoint.of("http://127.0.0.1:" + server.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private static void write(OutputStream out, String text) {
    try {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aBodyThatStallsAfterTheHeadersEndsTheExchangeAtTheTimeout() throws Exception {
    ClusterEndpoint endpoint = serve((out, socket) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"took\":");
      try {
        Thread.sleep(60_000); // the rest never comes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    long started = System.nanoTime();
    ClusterUnreachableException e = assertThrows(ClusterUnreachableException.class,
        () -> ClusterClient.connect(endpoint).send("GET", "/_search", null, null, Duration.ofSeconds(2)));
    long waited = (System.nanoTime() - started) / 1_000_000;
    assertEquals("cannot reach " + endpoint.url() + ": GET /_search got no complete answer within 2 s. The cluster may be "
        + "overloaded", e.getMessage());
    assertTrue(waited < 30_000, "bounded by the timeout, not by the server: " + waited + " ms");
  }

  @Test
  void anAnswerLargerThanTheBoundIsRefusedNotKept() throws Exception {
    ClusterEndpoint endpoint = serve((out, socket) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n");
      write(out, "[" + "1,".repeat(2499) + "1]");
    });
    UserError e = assertThrows(UserError.class,
        () -> ClusterClient.connect(endpoint, 1024).send("GET", "/big/_search", null, null, Duration.ofSeconds(10)));
    assertEquals(endpoint.url() + " answered GET /big/_search with more than 1024 bytes, more than this client keeps in memory; "
        + "ask for less (smaller pages or batches)", e.getMessage());
  }
}
