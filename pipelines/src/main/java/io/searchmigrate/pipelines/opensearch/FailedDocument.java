package io.searchmigrate.pipelines.opensearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * A document that could not be delivered, with why: one line of the dead-letter output. Carries the bulk
 * action and the source so the document can be re-sent by hand once the cause is fixed.
 *
 * <pre>{"stage":"write","index":"orders","id":"17","routing":null,"error_type":"mapper_parsing_exception",
 *  "reason":"...","status":400,"action":{"index":{"_index":"orders","_id":"17"}},"source":{...}}</pre>
 *
 * <p>The failure output of {@link OpenSearchIO#write()}; pipelines add their own (a document that could not be read
 * or transformed) with the other stages. Encoded with {@link #coder()}.
 */
public final class FailedDocument {

  /** Where the document was lost: reading it, transforming it, or writing it. */
  /** Where it failed; DELETE: a delta's delete of a document gone from the snapshot (its action is a delete). */
  public enum Stage { READ, TRANSFORM, WRITE, DELETE }

  private final Stage stage;
  private final String index;
  private final String id;
  private final String routing;
  private final String errorType;
  private final String reason;
  private final int status;
  private final String source;

  public FailedDocument(Stage stage, String index, String id, String routing, String errorType, String reason, int status,
      byte[] source) {
    this(stage, index, id, routing, errorType, reason, status, source == null ? null : new String(source, StandardCharsets.UTF_8));
  }

  private FailedDocument(Stage stage, String index, String id, String routing, String errorType, String reason, int status,
      String source) {
    this.stage = Objects.requireNonNull(stage, "stage");
    this.index = index;
    this.id = id;
    this.routing = routing;
    this.errorType = errorType;
    this.reason = reason;
    this.status = status;
    this.source = source;
  }

  /** A compact coder: failures cross a shuffle on their way to the dead-letter output. */
  public static Coder<FailedDocument> coder() {
    return FailedDocumentCoder.INSTANCE;
  }

  public Stage stage() {
    return stage;
  }

  public String index() {
    return index;
  }

  public String id() {
    return id;
  }

  public String routing() {
    return routing;
  }

  public String errorType() {
    return errorType;
  }

  public String reason() {
    return reason;
  }

  /** HTTP status of the failed item, 0 when there was none. */
  public int status() {
    return status;
  }

  /** The dead-letter line. */
  public String toJsonLine() {
    ObjectNode line = Json.object();
    line.put("stage", stage.name().toLowerCase()).put("index", index).put("id", id).put("routing", routing)
        .put("error_type", errorType).put("reason", reason).put("status", status);
    ObjectNode action = line.putObject("action").putObject(stage == Stage.DELETE ? "delete" : "index").put("_index", index)
        .put("_id", id);
    if (routing != null) {
      action.put("routing", routing);
    }
    if (source != null) {
      try {
        line.set("source", Json.parse(source));
      } catch (RuntimeException notJson) {
        line.put("source_text", source);
      }
    }
    return Json.toString(line);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FailedDocument)) {
      return false;
    }
    FailedDocument f = (FailedDocument) o;
    return stage == f.stage && status == f.status && Objects.equals(index, f.index) && Objects.equals(id, f.id)
        && Objects.equals(routing, f.routing) && Objects.equals(errorType, f.errorType) && Objects.equals(reason, f.reason)
        && Objects.equals(source, f.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stage, index, id, routing, errorType, reason, status, source);
  }

  @Override
  public String toString() {
    return toJsonLine();
  }

  private static final class FailedDocumentCoder extends AtomicCoder<FailedDocument> {
    private static final FailedDocumentCoder INSTANCE = new FailedDocumentCoder();
    private static final Coder<String> TEXT = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<Integer> INT = VarIntCoder.of();

    @Override
    public void encode(FailedDocument f, OutputStream out) throws IOException {
      INT.encode(f.stage.ordinal(), out);
      TEXT.encode(f.index, out);
      TEXT.encode(f.id, out);
      TEXT.encode(f.routing, out);
      TEXT.encode(f.errorType, out);
      TEXT.encode(f.reason, out);
      INT.encode(f.status, out);
      TEXT.encode(f.source, out);
    }

    @Override
    public FailedDocument decode(InputStream in) throws IOException {
      return new FailedDocument(Stage.values()[INT.decode(in)], TEXT.decode(in), TEXT.decode(in), TEXT.decode(in),
          TEXT.decode(in), TEXT.decode(in), INT.decode(in), TEXT.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
