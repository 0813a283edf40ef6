package io.searchmigrate.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A test client that sends exact bytes and reads exact responses over one connection. Its response parser is
 * written independently of the proxy's framing code, so the tests do not share the proxy's mistakes.
 */
final class RawHttp implements AutoCloseable {
  /** A response: its exact bytes, and the parts a test compares (headers lower-cased, body de-chunked). */
  record Response(byte[] raw, String statusLine, int status, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** What one connection sent and received, for comparing with its capture. */
  record Sent(byte[] request, byte[] response) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private final List<byte[]> requests = new ArrayList<>();
  private final List<byte[]> responses = new ArrayList<>();

  RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(60_000);
    socket.setTcpNoDelay(true);
    this.in = new BufferedInputStream(socket.getInputStream(), 65536);
    this.out = socket.getOutputStream();
  }

  static RawHttp connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.connect(address, 10_000);
    return new RawHttp(socket);
  }

  int localPort() {
    return socket.getLocalPort();
  }

  void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  /** Sends one or more whole requests (each recorded separately for later comparison). */
  void send(byte[]... requests) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] r : requests) {
      all.writeBytes(r);
      this.requests.add(r);
    }
    out.write(all.toByteArray());
    out.flush();
  }

  /** Sends bytes that are not (yet) a whole request, e.g. a head in pieces. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  Response exchange(byte[] request, String method) throws IOException {
    send(request);
    return read(method);
  }

  /** Reads one response (plus any 1xx before it) to a request made with {@code method}. */
  Response read(String method) throws IOException {
    current.reset();
    Response response;
    do {
      response = readOne(method);
    } while (response.status() / 100 == 1);
    byte[] raw = current.toByteArray();
    responses.add(raw);
    return new Response(raw, response.statusLine(), response.status(), response.headers(), response.body());
  }

  private Response readOne(String method) throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String h; !(h = line()).isEmpty(); ) {
      int colon = h.indexOf(':');
      headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean noBody = method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304;
    List<String> te = headers.get("transfer-encoding");
    List<String> cl = headers.get("content-length");
    if (noBody) {
      // nothing
    } else if (te != null && te.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
      while (true) {
        String size = line();
        int semicolon = size.indexOf(';');
        int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (n == 0) {
          while (!line().isEmpty()) {
            // trailers
          }
          break;
        }
        body.writeBytes(bytes(n));
        if (!line().isEmpty()) {
          throw new IOException("chunk not followed by CRLF");
        }
      }
    } else if (cl != null) {
      body.writeBytes(bytes(Integer.parseInt(cl.get(0))));
    } else {
      for (int b; (b = in.read()) >= 0; ) {
        current.write(b);
        body.write(b);
      }
    }
    return new Response(null, statusLine, status, headers, body.toByteArray());
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the middle of a response line");
      }
      current.write(b);
      if (b == '\n') {
        break;
      }
      line.write(b);
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private byte[] bytes(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new IOException("connection closed after " + b.length + " of " + n + " body bytes");
    }
    current.writeBytes(b);
    return b;
  }

  /** True when the peer closes the connection (end of stream) within the socket timeout. */
  boolean closedByPeer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Every request sent and response read, pairwise (as many pairs as responses). */
  List<Sent> transcript() {
    List<Sent> sent = new ArrayList<>();
    for (int i = 0; i < responses.size(); i++) {
      sent.add(new Sent(requests.get(i), responses.get(i)));
    }
    return sent;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  // ---- request builders ----

  static byte[] request(String method, String path, String contentType, byte[] body, String... extraHeaders) {
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    for (String h : extraHeaders) {
      head.append(h).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  static byte[] request(String method, String path) {
    return request(method, path, null, null);
  }

  static byte[] json(String method, String path, String json, String... extraHeaders) {
    return request(method, path, "application/json", json.getBytes(StandardCharsets.UTF_8), extraHeaders);
  }

  /** A request with a chunked body, cut into the given pieces; the second chunk carries a chunk extension. */
  static byte[] chunked(String method, String path, String contentType, String... pieces) {
    StringBuilder s = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
        + "\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < pieces.length; i++) {
      byte[] p = pieces[i].getBytes(StandardCharsets.UTF_8);
      s.append(Integer.toHexString(p.length)).append(i == 1 ? ";note=x" : "").append("\r\n").append(pieces[i]).append("\r\n");
    }
    s.append("0\r\n\r\n");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }
}
