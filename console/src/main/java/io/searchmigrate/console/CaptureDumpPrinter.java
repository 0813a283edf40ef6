package io.searchmigrate.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureFormat;
import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.capture.CredentialRedaction;
import io.searchmigrate.common.json.Json;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Prints captured connections as people read HTTP (heads and text bodies), or as JSON lines for tools. Credential
 * headers of requests and responses (captured with --capture-credentials) are printed as {@link CredentialRedaction#MARKER}.
 */
final class CaptureDumpPrinter {
  private final PrintWriter out;
  private final int maxBody;

  CaptureDumpPrinter(PrintWriter out, int maxBody) {
    this.out = out;
    this.maxBody = maxBody;
  }

  void http(CaptureAssembler.Connection c) {
    CaptureRecord.Open open = c.open();
    out.println("=== connection " + c.id() + (open == null ? " (its opening was not captured)"
        : "  client " + open.clientAddress() + " -> proxy " + open.proxyAddress() + (open.tls() ? " (TLS)" : "")
            + "  opened " + time(open.timestampMicros())));
    if (!c.missingSequences().isEmpty()) {
      out.println("!!! capture records " + c.missingSequences() + " are missing (lost while Kafka was unavailable); "
          + "exchanges around them are incomplete");
    }
    for (CaptureAssembler.Exchange e : c.exchanges()) {
      out.println("--- request #" + e.index() + "  " + e.method() + " " + e.target() + "  at " + time(e.requestStartMicros())
          + (e.complete() ? "" : "  (incomplete)"));
      message(CredentialRedaction.redactHead(e.request()));
      if (e.status() > 0) {
        out.printf("--- response #%d  %d  after %.1f ms%n", e.index(), e.status(), (e.responseEndMicros() - e.requestEndMicros()) / 1000.0);
      } else {
        out.println("--- response #" + e.index() + "  (none captured)");
      }
      message(CredentialRedaction.redactHead(e.response()));
    }
    for (CaptureRecord.RequestSkipped s : c.skipped()) {
      out.println("--- request #" + s.requestIndex() + "  " + s.method() + " " + s.target() + "  not captured (a suppression rule matched)");
    }
    for (String error : c.errors()) {
      out.println("!!! " + error);
    }
    out.println("=== " + (c.closedBy() == 0 ? "still open when read" : "closed by " + closedBy(c.closedBy()) + " at "
        + time(c.closedMicros())) + "; " + c.exchanges().size() + " exchanges");
    out.println();
  }

  void json(CaptureAssembler.Connection c) {
    for (CaptureAssembler.Exchange e : c.exchanges()) {
      ObjectNode line = Json.object();
      line.put("connection", c.id()).put("node", c.nodeId());
      if (c.open() != null) {
        line.put("client", c.open().clientAddress()).put("tls", c.open().tls());
      }
      line.put("index", e.index()).put("method", e.method()).put("target", e.target()).put("mutating", e.mutating())
          .put("status", e.status()).put("complete", e.complete())
          .put("request_start", time(e.requestStartMicros())).put("request_end", time(e.requestEndMicros()))
          .put("response_end", time(e.responseEndMicros()))
          .put("request", Base64.getEncoder().encodeToString(CredentialRedaction.redactHead(e.request())))
          .put("response", Base64.getEncoder().encodeToString(CredentialRedaction.redactHead(e.response())));
      if (!c.missingSequences().isEmpty()) {
        ArrayNode missing = line.putArray("connection_missing_records");
        c.missingSequences().forEach(missing::add);
      }
      out.println(Json.toString(line));
    }
  }

  /** The head as text; the body as text when it is UTF-8 text, else a note (compressed or binary). */
  private void message(byte[] bytes) {
    int headEnd = indexOf(bytes, new byte[] {'\r', '\n', '\r', '\n'});
    int split = headEnd < 0 ? bytes.length : headEnd + 4;
    out.print(new String(bytes, 0, split, StandardCharsets.ISO_8859_1).replace("\r\n", "\n"));
    byte[] body = Arrays.copyOfRange(bytes, split, bytes.length);
    if (body.length == 0) {
      return;
    }
    int shown = Math.min(body.length, maxBody);
    String text = utf8Text(Arrays.copyOf(body, shown));
    if (text == null) {
      out.println("[" + body.length + " bytes of binary or compressed data; --format json has them all]");
      return;
    }
    out.print(text);
    if (shown < body.length) {
      out.print("... [" + (body.length - shown) + " more bytes; raise --max-body to see them]");
    }
    out.println();
  }

  private static String utf8Text(byte[] bytes) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (ch < ' ' && ch != '\n' && ch != '\r' && ch != '\t') {
          return null;
        }
      }
      return s;
    } catch (CharacterCodingException e) {
      // a cut in the middle of a multi-byte character also lands here; good enough for a preview
      return null;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String closedBy(int by) {
    return switch (by) {
      case CaptureFormat.CLOSED_BY_CLIENT -> "the client";
      case CaptureFormat.CLOSED_BY_SOURCE -> "the source";
      case CaptureFormat.CLOSED_BY_PROXY -> "the proxy";
      default -> "? (" + by + ")";
    };
  }

  private static String time(long micros) {
    return micros <= 0 ? "" : Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000).toString();
  }
}
