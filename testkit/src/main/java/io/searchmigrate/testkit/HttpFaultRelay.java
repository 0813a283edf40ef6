package io.searchmigrate.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A byte-exact HTTP/1.1 relay on loopback in front of a real server, injecting faults that only a network gives: a
 * {@code 503 SlowDown} instead of the answer, or the answer's body cut off midway by a connection reset. Requests and
 * answers pass unchanged otherwise (binary bodies, every header including {@code Host}, so signatures still verify),
 * one request per connection.
 *
 * <pre>{@code
 * try (HttpFaultRelay relay = HttpFaultRelay.start(s3Endpoint, (n, requestLine) ->
 *     n % 5 == 0 ? HttpFaultRelay.Fault.SLOW_DOWN : HttpFaultRelay.Fault.NONE)) {
 *   ... point the client at relay.url() ...
 *   assertTrue(relay.injected(HttpFaultRelay.Fault.SLOW_DOWN) > 0);
 * }
 * }</pre>
 */
public final class HttpFaultRelay implements AutoCloseable {
  /** What happens to one request. */
  public enum Fault {
    NONE,
    /** Answered {@code 503 SlowDown} (S3's throttling answer) without reaching the server. */
    SLOW_DOWN,
    /** Forwarded; the answer's head and half its body reach the client, then the connection is reset. */
    CUT_BODY
  }

  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final BiFunction<Integer, String, Fault> script;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Fault> injected = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-relay");
    t.setDaemon(true);
    return t;
  });

  private HttpFaultRelay(String upstreamUrl, BiFunction<Integer, String, Fault> script) throws IOException {
    URI upstream = URI.create(upstreamUrl);
    this.upstreamHost = upstream.getHost();
    this.upstreamPort = upstream.getPort();
    this.script = script;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    executor.execute(this::acceptLoop);
  }

  /** Starts a relay to {@code upstreamUrl} (http://host:port); request number n (1-based) meets {@code script.apply(n, requestLine)}. */
  public static HttpFaultRelay start(String upstreamUrl, BiFunction<Integer, String, Fault> script) {
    try {
      return new HttpFaultRelay(upstreamUrl, script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Requests received so far. */
  public int requests() {
    return requests.get();
  }

  /** How many times {@code fault} was injected. */
  public long injected(Fault fault) {
    return injected.stream().filter(f -> f == fault).count();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        executor.execute(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      String headText = new String(head, StandardCharsets.ISO_8859_1);
      String requestLine = headText.substring(0, headText.indexOf("\r\n"));
      byte[] body = in.readNBytes((int) contentLength(headText));
      Fault fault = script.apply(requests.incrementAndGet(), requestLine);
      if (fault == Fault.SLOW_DOWN) {
        injected.add(fault);
        byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your "
            + "request rate.</Message></Error>").getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + error.length
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(error);
        out.flush();
        return;
      }
      try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
        OutputStream up = upstream.getOutputStream();
        up.write(withConnectionClose(headText).getBytes(StandardCharsets.ISO_8859_1));
        up.write(body);
        up.flush();
        InputStream answer = upstream.getInputStream();
        OutputStream out = client.getOutputStream();
        if (fault == Fault.CUT_BODY) {
          byte[] answerHead = readHead(answer);
          long length = answerHead == null ? 0 : contentLength(new String(answerHead, StandardCharsets.ISO_8859_1));
          if (answerHead != null && length > 1) {
            injected.add(fault);
            out.write(answerHead);
            out.write(answer.readNBytes((int) (length / 2)));
            out.flush();
            client.setSoLinger(true, 0); // a reset, not a clean end
            return;
          }
          if (answerHead != null) {
            out.write(answerHead);
          }
        }
        answer.transferTo(out);
        out.flush();
      }
    } catch (IOException e) {
      // the client or the server went away: as a network would
    }
  }

  /** The bytes up to and including the blank line that ends an HTTP head; null at a clean end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
          : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        return Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    return 0;
  }

  private static String withConnectionClose(String head) {
    StringBuilder rewritten = new StringBuilder();
    for (String line : head.split("\r\n")) {
      if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
        rewritten.append(line).append("\r\n");
      }
    }
    return rewritten.append("Connection: close\r\n\r\n").toString();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    executor.shutdownNow();
  }
}
