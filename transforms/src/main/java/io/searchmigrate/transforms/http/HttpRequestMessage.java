package io.searchmigrate.transforms.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * One HTTP/1.1 request as a client sent it, parsed from captured bytes into what a rewrite works on: method, path,
 * query parameters, headers in their order, and the body with its transfer framing (chunked) and content encoding
 * (gzip) undone. Immutable; {@code with...} methods return changed copies, {@link #toBytes()} writes it back out
 * with a Content-Length.
 *
 * <pre>{@code
 * HttpRequestMessage request = HttpRequestMessage.parse(exchange.request());
 * HttpRequestMessage typeless = request.withPath("/books/_doc/1").withoutQueryParameter("include_type_name");
 * }</pre>
 */
public final class HttpRequestMessage {
  /** Headers that carry credentials: never written into tuples, logs or reports as they are. */
  public static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "x-api-key",
      "x-amz-security-token");
  /** What a credential header's value becomes wherever it is shown. */
  public static final String REDACTED = "[redacted]";

  /** A header as sent: its name's case is kept. */
  public record Header(String name, String value) {}

  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final List<Header> headers;
  private final byte[] body;

  private HttpRequestMessage(String method, String path, Map<String, List<String>> query, List<Header> headers, byte[] body) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = List.copyOf(headers);
    this.body = body;
  }

  /** A request made by hand (tools and tests). */
  public static HttpRequestMessage of(String method, String pathAndQuery, List<Header> headers, byte[] body) {
    int q = pathAndQuery.indexOf('?');
    return new HttpRequestMessage(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
        parseQuery(q < 0 ? "" : pathAndQuery.substring(q + 1)), headers, body == null ? new byte[0] : body);
  }

  /**
   * Parses the bytes of one request (request line, headers, body). Throws IllegalArgumentException saying what is
   * wrong for anything that is not a complete HTTP/1.x request: such a capture cannot be replayed.
   */
  public static HttpRequestMessage parse(byte[] raw) {
    int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
    if (headEnd < 0) {
      throw new IllegalArgumentException("not an HTTP request: no blank line after the headers in " + raw.length + " bytes");
    }
    String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
      throw new IllegalArgumentException("not an HTTP/1.x request line: '" + printable(lines[0]) + "'");
    }
    List<Header> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("malformed header line: '" + printable(lines[i]) + "'");
      }
      headers.add(new Header(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
    }
    byte[] body = decodedBody(headers, Arrays.copyOfRange(raw, headEnd + 4, raw.length));
    headers.removeIf(h -> h.name().equalsIgnoreCase("content-encoding") && h.value().trim().equalsIgnoreCase("gzip")
        || h.name().equalsIgnoreCase("transfer-encoding") || h.name().equalsIgnoreCase("content-length"));
    return of(requestLine[0], requestLine[1], headers, body);
  }

  /**
   * The body of a captured response, de-chunked and gunzipped as its headers say (what its client read); the bytes
   * after its head as they are when they cannot be decoded; empty without a head (a source's response is only looked
   * at, never sent on). Interim answers before it ({@code 100 Continue}, to a client that sent {@code Expect}, as
   * curl and PHP's clients do for bodies over 1 KB) are passed over.
   */
  public static byte[] responseBody(byte[] raw) {
    byte[] headEndMark = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    int headStart = 0;
    int headEnd = indexOf(raw, headEndMark, headStart);
    while (headEnd >= 0 && isInterim(raw, headStart)) {
      headStart = headEnd + 4;
      headEnd = indexOf(raw, headEndMark, headStart);
    }
    if (headEnd < 0) {
      return new byte[0];
    }
    List<Header> headers = new ArrayList<>();
    for (String line : new String(raw, headStart, headEnd - headStart, StandardCharsets.ISO_8859_1).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
      }
    }
    byte[] rest = Arrays.copyOfRange(raw, headEnd + 4, raw.length);
    try {
      return decodedBody(headers, rest);
    } catch (IllegalArgumentException e) {
      return rest;
    }
  }

  /** Whether the response head at {@code from} is an interim one: {@code HTTP/1.x 1xx}. */
  private static boolean isInterim(byte[] raw, int from) {
    return raw.length >= from + 12 && new String(raw, from, 12, StandardCharsets.ISO_8859_1).matches("HTTP/1\\.\\d 1\\d\\d");
  }

  /** The body after a message's head, as its Transfer-Encoding, Content-Length and Content-Encoding say. */
  private static byte[] decodedBody(List<Header> headers, byte[] rest) {
    String transferEncoding = first(headers, "transfer-encoding");
    String contentLength = first(headers, "content-length");
    byte[] body;
    if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = dechunk(rest);
    } else if (contentLength != null) {
      int length;
      try {
        length = Integer.parseInt(contentLength.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Content-Length '" + contentLength + "' is not a number");
      }
      if (length > rest.length) {
        throw new IllegalArgumentException("the body is cut short: Content-Length " + length + " but " + rest.length + " bytes");
      }
      body = Arrays.copyOf(rest, length);
    } else {
      body = rest;
    }
    String encoding = first(headers, "content-encoding");
    return encoding != null && encoding.trim().equalsIgnoreCase("gzip") ? gunzip(body) : body;
  }

  public String method() {
    return method;
  }

  /** The path without its query, as sent (percent-encoded). */
  public String path() {
    return path;
  }

  /** The path's segments, percent-decoded; an empty path has none. */
  public List<String> segments() {
    List<String> segments = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  /** Query parameters in their order (a parameter may repeat). */
  public Map<String, List<String>> query() {
    return query;
  }

  /** Path and query, as a request line carries them. */
  /** The first value of a query parameter, or null when the query has none. */
  public String queryValue(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public String target() {
    if (query.isEmpty()) {
      return path;
    }
    StringBuilder target = new StringBuilder(path).append('?');
    boolean first = true;
    for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
      for (String value : parameter.getValue()) {
        target.append(first ? "" : "&").append(encode(parameter.getKey()));
        if (value != null) {
          target.append('=').append(encode(value));
        }
        first = false;
      }
    }
    return target.toString();
  }

  public List<Header> headers() {
    return headers;
  }

  /** The first value of a header (names compare without case), or null. */
  public String header(String name) {
    return first(headers, name);
  }

  public byte[] body() {
    return body.clone();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A copy with this path (segments percent-encoded as needed) and the same query. */
  public HttpRequestMessage withSegments(List<String> segments) {
    StringBuilder p = new StringBuilder();
    for (String segment : segments) {
      p.append('/').append(encode(segment).replace("%2A", "*").replace("%2C", ","));
    }
    return new HttpRequestMessage(method, p.length() == 0 ? "/" : p.toString(), query, headers, body);
  }

  public HttpRequestMessage withPath(String newPath) {
    return new HttpRequestMessage(method, newPath, query, headers, body);
  }

  public HttpRequestMessage withoutQueryParameter(String name) {
    Map<String, List<String>> q = new LinkedHashMap<>(query);
    q.remove(name);
    return new HttpRequestMessage(method, path, q, headers, body);
  }

  /** A copy where the header (any case) has this one value, in place of the first one there was, else at the end. */
  public HttpRequestMessage withHeader(String name, String value) {
    List<Header> copy = new ArrayList<>();
    boolean set = false;
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        if (!set) {
          copy.add(new Header(h.name(), value));
          set = true;
        }
      } else {
        copy.add(h);
      }
    }
    if (!set) {
      copy.add(new Header(name, value));
    }
    return new HttpRequestMessage(method, path, query, copy, body);
  }

  public HttpRequestMessage withoutHeader(String name) {
    List<Header> copy = new ArrayList<>(headers);
    copy.removeIf(h -> h.name().equalsIgnoreCase(name));
    return new HttpRequestMessage(method, path, query, copy, body);
  }

  public HttpRequestMessage withBody(byte[] newBody) {
    return new HttpRequestMessage(method, path, query, headers, newBody.clone());
  }

  /** The headers as they may be shown: credential headers' values replaced by {@value #REDACTED}. */
  public List<Header> redactedHeaders() {
    List<Header> shown = new ArrayList<>();
    for (Header h : headers) {
      shown.add(CREDENTIAL_HEADERS.contains(h.name().toLowerCase(Locale.ROOT)) ? new Header(h.name(), REDACTED) : h);
    }
    return shown;
  }

  /** The request as HTTP/1.1 bytes, with a Content-Length for its body. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
    StringBuilder head = new StringBuilder(method).append(' ').append(target()).append(" HTTP/1.1\r\n");
    for (Header h : headers) {
      head.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    if (body.length > 0 || !(method.equals("GET") || method.equals("HEAD") || method.equals("DELETE"))) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return method + " " + target();
  }

  private static String first(List<Header> headers, String name) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }

  private static Map<String, List<String>> parseQuery(String query) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? null : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return parameters;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static byte[] dechunk(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
    int at = 0;
    while (true) {
      int lineEnd = indexOf(data, new byte[] {'\r', '\n'}, at);
      if (lineEnd < 0) {
        throw new IllegalArgumentException("the chunked body is cut short (no chunk size line at byte " + at + ")");
      }
      String sizeText = new String(data, at, lineEnd - at, StandardCharsets.US_ASCII);
      int semicolon = sizeText.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad chunk size '" + printable(sizeText) + "' at byte " + at);
      }
      at = lineEnd + 2;
      if (size == 0) {
        return out.toByteArray();
      }
      if (at + size > data.length) {
        throw new IllegalArgumentException("the chunked body is cut short: a chunk of " + size + " bytes at byte " + at);
      }
      out.write(data, at, size);
      at += size + 2;
    }
  }

  private static byte[] gunzip(byte[] data) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalArgumentException("the body says Content-Encoding: gzip but does not unzip: " + e.getMessage());
    }
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String printable(String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
