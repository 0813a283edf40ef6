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
    Text head = new Text(raw);
    String line = head.startLine();
    int sp1 = line.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
      throw new HttpFramingException(400, "malformed request line");
    }
    String[] parts = {line.substring(0, sp1), line.substring(sp1 + 1, sp2), line.substring(sp2 + 1)};
    if (!isToken(parts[0]) || parts[1].isEmpty() || !validTarget(parts[1])) {
      throw new HttpFramingException(400, "malformed request line");
    }
    if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
      throw new HttpFramingException(parts[2].startsWith("HTTP/") ? 505 : 400, "unsupported protocol version");
    }
    return new HttpHead(parts, head.headers());
  }

  /** Parses a response head: {@code HTTP/1.x SP 3DIGIT [SP reason] CRLF (field CRLF)* CRLF}. */
  public static HttpHead parseResponse(ByteBuf raw) throws HttpFramingException {
    Text head = new Text(raw);
    String line = head.startLine();
    int sp1 = line.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    String status = sp1 < 0 ? "" : sp2 < 0 ? line.substring(sp1 + 1) : line.substring(sp1 + 1, sp2);
    if (sp1 < 0 || !line.startsWith("HTTP/1.") || status.length() != 3 || !digits(status)) {
      throw new HttpFramingException(502, "malformed status line");
    }
    return new HttpHead(new String[] {line.substring(0, sp1), status, sp2 < 0 ? "" : line.substring(sp2 + 1)}, head.headers());
  }

  /**
   * A head's text, read line by line without copying lines (a head is parsed for every request and every response
   * the proxy relays): CR LF or LF ends a line, an empty line ends the head, empty lines before the start line are
   * skipped.
   */
  private static final class Text {
    private final String text;
    private int pos;

    Text(ByteBuf raw) {
      this.text = raw.toString(raw.readerIndex(), raw.readableBytes(), StandardCharsets.ISO_8859_1);
    }

    String startLine() throws HttpFramingException {
      int end;
      while ((end = lineEnd()) == pos) {
        if (!next(end)) {
          throw new HttpFramingException(400, "empty message head");
        }
      }
      if (end < 0) {
        throw new HttpFramingException(400, "empty message head");
      }
      String line = text.substring(pos, end);
      next(end);
      return line;
    }

    List<Header> headers() throws HttpFramingException {
      List<Header> headers = new ArrayList<>(8);
      for (int end; (end = lineEnd()) > pos; next(end)) {
        int colon = text.indexOf(':', pos);
        if (colon <= pos || colon >= end || !isToken(text, pos, colon)) {
          // also rejects obsolete line folding (a line starting with whitespace)
          throw new HttpFramingException(400, "malformed header line");
        }
        int valueStart = colon + 1;
        int valueEnd = end;
        while (valueStart < valueEnd && Character.isWhitespace(text.charAt(valueStart))) {
          valueStart++;
        }
        while (valueEnd > valueStart && Character.isWhitespace(text.charAt(valueEnd - 1))) {
          valueEnd--;
        }
        headers.add(new Header(text.substring(pos, colon), text.substring(valueStart, valueEnd)));
      }
      return headers;
    }

    /** End of the line at {@code pos} (its CR LF excluded), or -1 when no line ends there. */
    private int lineEnd() {
      int nl = text.indexOf('\n', pos);
      if (nl < 0) {
        return -1;
      }
      return nl > pos && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
    }

    /** Moves past the line ending at {@code end}; false when there is no next line. */
    private boolean next(int end) {
      if (end < 0) {
        return false;
      }
      pos = text.indexOf('\n', end) + 1;
      return pos > 0 && pos < text.length();
    }
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  static boolean isToken(String s) {
    return isToken(s, 0, s.length());
  }

  private static boolean isToken(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
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
        if (v.isEmpty() || v.length() > 18 || !digits(v)) {
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
