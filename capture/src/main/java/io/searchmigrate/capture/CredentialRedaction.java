package io.searchmigrate.capture;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Replaces the values of credential headers in an HTTP message's head by {@link #MARKER}, leaving the body and
 * every other byte as they were.
 *
 * <pre>{@code
 * byte[] safe = CredentialRedaction.redactHead(capturedRequest); // same array when there is nothing to redact
 * }</pre>
 *
 * <p>Credential headers are {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie},
 * {@code Set-Cookie2}, and any header whose name contains {@code api-key}, {@code apikey}, {@code api_key} or
 * {@code token} (such as {@code X-Api-Key}, {@code X-Amz-Security-Token}). The capture proxy applies this to the
 * captured copy of each request and response head by default; the source and the client still get the real header.
 */
public final class CredentialRedaction {
  /** What a credential header's value reads in a capture (documented in the capture format). */
  public static final String MARKER = "[credential removed by search-migrate]";
  private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);

  private CredentialRedaction() {}

  /** True for a header name whose value is a credential. */
  public static boolean isCredential(String headerName) {
    // asked for every header of every request and response the proxy captures: compares without allocating
    String n = headerName.strip();
    return n.equalsIgnoreCase("authorization") || n.equalsIgnoreCase("proxy-authorization") || n.equalsIgnoreCase("cookie")
        || n.equalsIgnoreCase("set-cookie") || n.equalsIgnoreCase("set-cookie2") || containsIgnoringCase(n, "api-key")
        || containsIgnoringCase(n, "apikey") || containsIgnoringCase(n, "api_key") || containsIgnoringCase(n, "token");
  }

  /** {@code lowerCaseNeedle} begins with an ASCII letter. */
  private static boolean containsIgnoringCase(String s, String lowerCaseNeedle) {
    char first = lowerCaseNeedle.charAt(0);
    for (int i = 0, last = s.length() - lowerCaseNeedle.length(); i <= last; i++) {
      // the first letter, either case, before the full comparison: most positions of a header name fail here
      if ((s.charAt(i) | 0x20) == first && s.regionMatches(true, i, lowerCaseNeedle, 0, lowerCaseNeedle.length())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The message with credential header values replaced; {@code message} itself when it has none. Only the head
   * (up to the first empty line, or all of {@code message} when it has no empty line) is looked at.
   */
  public static byte[] redactHead(byte[] message) {
    int headEnd = headEnd(message);
    ByteArrayOutputStream out = null;
    int lineStart = lineEnd(message, 0, headEnd); // the start line holds no header
    int copiedUpTo = 0;
    while (lineStart < headEnd) {
      int end = lineEnd(message, lineStart, headEnd);
      int colon = indexOf(message, (byte) ':', lineStart, end);
      if (colon > lineStart && isCredential(new String(message, lineStart, colon - lineStart, StandardCharsets.ISO_8859_1))) {
        if (out == null) {
          out = new ByteArrayOutputStream(message.length);
        }
        int valueStart = colon + 1;
        while (valueStart < end && (message[valueStart] == ' ' || message[valueStart] == '\t')) {
          valueStart++;
        }
        int valueEnd = end;
        while (valueEnd > valueStart && (message[valueEnd - 1] == '\n' || message[valueEnd - 1] == '\r')) {
          valueEnd--;
        }
        out.write(message, copiedUpTo, valueStart - copiedUpTo);
        out.write(MARKER_BYTES, 0, MARKER_BYTES.length);
        copiedUpTo = valueEnd;
      }
      lineStart = end;
    }
    if (out == null) {
      return message;
    }
    out.write(message, copiedUpTo, message.length - copiedUpTo);
    return out.toByteArray();
  }

  /** Index just past the head's terminating empty line, or the message's length. */
  private static int headEnd(byte[] m) {
    for (int i = 0; i + 1 < m.length; i++) {
      if (m[i] == '\n' && (m[i + 1] == '\n' || (m[i + 1] == '\r' && i + 2 < m.length && m[i + 2] == '\n'))) {
        return m[i + 1] == '\n' ? i + 2 : i + 3;
      }
    }
    return m.length;
  }

  /** Index just past the line starting at {@code from} (its LF included). */
  private static int lineEnd(byte[] m, int from, int limit) {
    int lf = indexOf(m, (byte) '\n', from, limit);
    return lf < 0 ? limit : lf + 1;
  }

  private static int indexOf(byte[] m, byte b, int from, int limit) {
    for (int i = from; i < limit; i++) {
      if (m[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
