package io.searchmigrate.pipelines.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.transforms.http.HttpRequestMessage;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One replayed request as a JSON line: what the client sent and the source answered, what the target was sent and
 * answered, and whether the statuses match. Credential headers are redacted; bodies are JSON when they are one JSON
 * value (kept as sent, line breaks between tokens made spaces), else text (UTF-8) or base64.
 *
 * <pre>{@code
 * String line = ReplayTuple.of(captured, parsedSource, sent, targetStatus, targetBody, targetMillis, rulesApplied);
 * String sampled = ReplayTuple.of(captured, parsedSource, sent, targetStatus, targetBody, targetMillis, rulesApplied,
 *     secondAnswer, secondMillis);
 * }</pre>
 *
 * <p>Written with a streaming generator, bodies checked by a parser that skips over them: building and writing a tree
 * of every body was two thirds of the replay's sending threads' CPU.
 */
final class ReplayTuple {
  private ReplayTuple() {}

  static String of(CapturedRequest captured, HttpRequestMessage source, List<HttpRequestMessage> sent,
      List<Integer> targetStatuses, List<byte[]> targetBodies, List<Long> targetMillis, List<String> rulesApplied) {
    return of(captured, source, sent, targetStatuses, targetBodies, targetMillis, rulesApplied, null, 0);
  }

  /**
   * With {@code repeat}, the target's second answer to the same (single) request, kept as
   * {@code target_response_repeat}: what differs between the two is noise for {@code validate tuples}.
   */
  static String of(CapturedRequest captured, HttpRequestMessage source, List<HttpRequestMessage> sent,
      List<Integer> targetStatuses, List<byte[]> targetBodies, List<Long> targetMillis, List<String> rulesApplied,
      ClusterResponse repeat, long repeatMillis) {
    // sized from the captured bytes: the parsed source's body() would copy the body just to measure it
    StringWriter line = new StringWriter(2 * (captured.request().length + captured.response().length) + 512);
    Bodies bodies = new Bodies();
    try (JsonGenerator out = Json.mapper().getFactory().createGenerator(line)) {
      out.writeStartObject();
      out.writeStringField("connection", captured.connection());
      out.writeNumberField("request_index", captured.index());
      out.writeStringField("timestamp", Instant.EPOCH.plusNanos(captured.requestStartMicros() * 1000).toString());
      out.writeFieldName("source_request");
      request(out, source, bodies);
      out.writeObjectFieldStart("source_response");
      out.writeNumberField("status", captured.status());
      out.writeFieldName("body");
      bodies.write(out, HttpRequestMessage.responseBody(captured.response())); // as its client read it
      out.writeNumberField("latency_ms",
          Math.max(0, captured.responseEndMicros() - captured.requestEndMicros()) / 1000.0);
      out.writeEndObject();
      // one captured request usually stays one: then the tuple holds objects, not one-element arrays
      boolean many = sent.size() != 1;
      out.writeFieldName("target_request");
      if (many) {
        out.writeStartArray();
      }
      for (HttpRequestMessage request : sent) {
        request(out, request, bodies);
      }
      if (many) {
        out.writeEndArray();
      }
      out.writeFieldName("target_response");
      if (many) {
        out.writeStartArray();
      }
      for (int i = 0; i < sent.size(); i++) {
        response(out, targetStatuses.get(i), targetBodies.get(i), targetMillis.get(i), bodies);
      }
      if (many) {
        out.writeEndArray();
      }
      if (repeat != null) {
        out.writeFieldName("target_response_repeat");
        response(out, repeat.status(), repeat.body(), repeatMillis, bodies);
      }
      out.writeBooleanField("status_match", statusesMatch(captured.status(), targetStatuses));
      out.writeArrayFieldStart("rewrites");
      for (String rule : rulesApplied) {
        out.writeString(rule);
      }
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writes to memory only
    }
    return line.toString();
  }

  /** The target answered every request a captured one became with the source's status. */
  static boolean statusesMatch(int sourceStatus, List<Integer> targetStatuses) {
    return !targetStatuses.isEmpty() && targetStatuses.stream().allMatch(s -> s == sourceStatus);
  }

  private static void request(JsonGenerator out, HttpRequestMessage r, Bodies bodies) throws IOException {
    out.writeStartObject();
    out.writeStringField("method", r.method());
    out.writeStringField("path", r.target());
    // a header given twice keeps its last value, in the place of its first
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpRequestMessage.Header h : r.redactedHeaders()) {
      headers.put(h.name().toLowerCase(Locale.ROOT), h.value());
    }
    out.writeObjectFieldStart("headers");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      out.writeStringField(h.getKey(), h.getValue());
    }
    out.writeEndObject();
    out.writeFieldName("body");
    bodies.write(out, r.body());
    out.writeEndObject();
  }

  private static void response(JsonGenerator out, int status, byte[] body, long millis, Bodies bodies)
      throws IOException {
    out.writeStartObject();
    out.writeNumberField("status", status);
    out.writeFieldName("body");
    bodies.write(out, body);
    out.writeNumberField("latency_ms", millis);
    out.writeEndObject();
  }

  /**
   * Writes bodies as the values they hold: null when empty; the JSON value itself when it is exactly one (as sent,
   * its line breaks, whitespace between tokens in valid JSON, made spaces so the tuple stays one line); else the text
   * (NDJSON such as {@code _bulk}, broken JSON, plain text); else, not UTF-8, {@code {"base64": ...}}. A body equal to
   * one this tuple already holds (the target request's is usually the source request's) is not checked again.
   */
  private static final class Bodies {
    private final List<Written> written = new ArrayList<>(4);

    /** A body as read once: its text (line breaks made spaces when it is one JSON value), or null when not UTF-8. */
    private record Written(byte[] body, String text, boolean json) {}

    void write(JsonGenerator out, byte[] body) throws IOException {
      if (body == null || body.length == 0) {
        out.writeNull();
        return;
      }
      Written read = find(body);
      if (read.text() == null) {
        out.writeStartObject();
        out.writeStringField("base64", Base64.getEncoder().encodeToString(body));
        out.writeEndObject();
      } else if (read.json()) {
        out.writeRawValue(read.text());
      } else {
        out.writeString(read.text());
      }
    }

    private Written find(byte[] body) {
      for (Written w : written) {
        if (Arrays.equals(w.body(), body)) {
          return w;
        }
      }
      Written read = read(body);
      written.add(read);
      return read;
    }

    private static Written read(byte[] body) {
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
      } catch (CharacterCodingException notText) {
        return new Written(body, null, false);
      }
      boolean json = (body[0] == '{' || body[0] == '[') && isOneJsonValue(body);
      return new Written(body, json ? text.replace('\n', ' ').replace('\r', ' ') : text, json);
    }
  }

  private static boolean isOneJsonValue(byte[] body) {
    try (JsonParser parser = Json.mapper().getFactory().createParser(body)) {
      parser.nextToken();
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException notOneJsonValue) {
      return false; // NDJSON (_bulk, _msearch) or broken JSON: kept as text
    }
  }
}
