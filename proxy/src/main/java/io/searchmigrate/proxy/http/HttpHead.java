package io.searchmigrate.proxy.http;

import io.netty.buffer.ByteBuf;
import io.searchmigrate.capture.CredentialRedaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The start line and header fields of one HTTP/1.x message, parsed from its raw bytes only as far as the
 * proxy needs them: boundaries (Content-Length, Transfer-Encoding), method, target, status and headers for
 * rules. The raw bytes themselves are forwarded untouched.
 */
public final class HttpHead {
  /** One header field as received (name case preserved). */
  public record Header(String name, String value) {}

  private final String[] startLine;
  private final List<Header> headers;

  private HttpHead(String[] startLine, List<Header> headers) {
    this.startLine = startLine;
    this.headers = headers;
  }

  /** Request: method. Response: version. */
  public String first() {
    return startLine[0];
  }

  /** Request: target (as sent). Response: status code. */
  public String second() {
    return startLine[1];
  }

  public List<Header> headers() {
    return headers;
  }

  /** True when a header's value is a credential ({@link CredentialRedaction#isCredential}). */
  public boolean hasCredentialHeader() {
    for (Header h : headers) {
      if (CredentialRedaction.isCredential(h.name())) {
        return true;
      }
    }
    return false;
  }

  /** The first value of a header (case-insensitive name), or null. */
  public String header(String name) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }

  /** Parses a request head: {@code METHOD SP target SP HTTP/1.x CRLF (field CRLF)* CRLF}. Leading empty lines are allowed. */
  public static HttpHead parseRequest(ByteBuf raw) throws HttpFramingException {
    List<String> lines = lines(raw);
    String[] parts = lines.get(0).split(" ", -1);
    if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty() || !validTarget(parts[1])) {
      throw new HttpFramingException(400, "malformed request line");
    }
    if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
      throw new HttpFramingException(parts[2].startsWith("HTTP/") ? 505 : 400, "unsupported protocol version");
    }
    return new HttpHead(parts, headers(lines));
  }

  /** Parses a response head: {@code HTTP/1.x SP 3DIGIT [SP reason] CRLF (field CRLF)* CRLF}. */
  public static HttpHead parseResponse(ByteBuf raw) throws HttpFramingException {
    List<String> lines = lines(raw);
    String line = lines.get(0);
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3 || !parts[1].chars().allMatch(Character::isDigit)) {
      throw new HttpFramingException(502, "malformed status line");
    }
    return new HttpHead(new String[] {parts[0], parts[1], parts.length > 2 ? parts[2] : ""}, headers(lines));
  }

  private static List<String> lines(ByteBuf raw) throws HttpFramingException {
    String text = raw.toString(raw.readerIndex(), raw.readableBytes(), StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        break;
      }
      int end = nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
      String line = text.substring(start, end);
      start = nl + 1;
      if (line.isEmpty()) {
        if (lines.isEmpty()) {
          continue; // empty lines before the start line
        }
        break;
      }
      lines.add(line);
    }
    if (lines.isEmpty()) {
      throw new HttpFramingException(400, "empty message head");
    }
    return lines;
  }

  private static List<Header> headers(List<String> lines) throws HttpFramingException {
    List<Header> headers = new ArrayList<>(lines.size() - 1);
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        // also rejects obsolete line folding (a line starting with whitespace)
        throw new HttpFramingException(400, "malformed header line");
      }
      headers.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip()));
    }
    return headers;
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean validTarget(String target) {
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  public static final long CHUNKED = -2;
  public static final long UNTIL_CLOSE = -3;

  /**
   * How the body of a message with these headers is delimited: {@link #CHUNKED}, -1 when no length is given,
   * {@link #UNTIL_CLOSE} for a response whose final coding is not chunked, else the Content-Length. A request
   * with conflicting framing is rejected (a request smuggling vector); for a response Transfer-Encoding wins.
   */
  public long bodyLength(boolean request) throws HttpFramingException {
    long length = -1;
    boolean chunked = false;
    boolean transferEncoding = false;
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase("Content-Length")) {
        String v = h.value();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new HttpFramingException(400, "invalid Content-Length");
        }
        long parsed = Long.parseLong(v);
        if (length >= 0 && parsed != length) {
          throw new HttpFramingException(400, "conflicting Content-Length headers");
        }
        length = parsed;
      } else if (h.name().equalsIgnoreCase("Transfer-Encoding")) {
        transferEncoding = true;
        String[] codings = h.value().split(",");
        chunked = codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
      }
    }
    if (transferEncoding) {
      if (!request) {
        return chunked ? CHUNKED : UNTIL_CLOSE;
      }
      if (length >= 0) {
        throw new HttpFramingException(400, "both Transfer-Encoding and Content-Length");
      }
      if (!chunked) {
        throw new HttpFramingException(400, "Transfer-Encoding without chunked as the final coding");
      }
      return CHUNKED;
    }
    return length;
  }
}
