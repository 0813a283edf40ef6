package io.searchmigrate.pipelines.opensearch;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.searchmigrate.transforms.document.TargetDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * One document as the two NDJSON lines of a {@code _bulk} body (action, then source; a delete has the action line
 * only), with the names needed to count it and to report it if it fails. The action line is built once; the source
 * line is the document's own bytes, not copied: a batch writes both straight into its request body
 * ({@link #writeTo}), so a document's source is copied once on its way from the reader to the socket.
 */
final class BulkItem {
  private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
  private static final byte[] INDEX_FIELD = bytes("\":{\"_index\":\"");
  private static final byte[] ID_FIELD = bytes("\",\"_id\":\"");
  private static final byte[] ROUTING_FIELD = bytes("\",\"routing\":\"");
  private static final byte[] ACTION_END = bytes("\"}}\n");

  private final String index;
  private final String id;
  private final String routing;
  /** {@code {"index":{...}}\n} */
  private final byte[] action;
  /** The single-line JSON source, without its line feed; null for a delete. */
  private final byte[] source;

  private BulkItem(String index, String id, String routing, byte[] action, byte[] source) {
    this.index = index;
    this.id = id;
    this.routing = routing;
    this.action = action;
    this.source = source;
  }

  static BulkItem of(TargetDocument document) {
    return of("index", document);
  }

  /** A {@code delete} of the document (its source is not sent): one line. */
  static BulkItem deleteOf(TargetDocument document) {
    return of("delete", document);
  }

  private static BulkItem of(String action, TargetDocument document) {
    byte[] index = ESCAPE.quoteAsUTF8(document.index());
    byte[] id = ESCAPE.quoteAsUTF8(document.id());
    byte[] routing = document.routing() == null ? null : ESCAPE.quoteAsUTF8(document.routing());
    byte[] verb = bytes(action);
    int size = 2 + verb.length + INDEX_FIELD.length + index.length + ID_FIELD.length + id.length
        + (routing == null ? 0 : ROUTING_FIELD.length + routing.length) + ACTION_END.length;
    byte[] line = new byte[size];
    int at = 0;
    line[at++] = '{';
    line[at++] = '"';
    at = put(line, at, verb);
    at = put(line, at, INDEX_FIELD);
    at = put(line, at, index);
    at = put(line, at, ID_FIELD);
    at = put(line, at, id);
    if (routing != null) {
      at = put(line, at, ROUTING_FIELD);
      at = put(line, at, routing);
    }
    put(line, at, ACTION_END); // {"index":{"_index":"...","_id":"..."}} and a line feed, as Jackson would write it
    return new BulkItem(document.index(), document.id(), document.routing(), line,
        action.equals("delete") ? null : document.source());
  }

  private static int put(byte[] into, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, into, at, bytes.length);
    return at + bytes.length;
  }

  private static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.UTF_8);
  }

  String index() {
    return index;
  }

  String id() {
    return id;
  }

  String routing() {
    return routing;
  }

  /** Both lines, each ending with a line feed (a copy: bodies are built with {@link #writeTo}). */
  byte[] lines() {
    byte[] lines = new byte[(int) size()];
    writeTo(lines, 0);
    return lines;
  }

  /** Writes both lines into {@code body} at {@code offset}; returns the offset after them. */
  int writeTo(byte[] body, int offset) {
    int at = put(body, offset, action);
    if (source != null) {
      at = put(body, at, source);
      body[at++] = '\n';
    }
    return at;
  }

  /** Bytes this item adds to a bulk body: what batches are bounded by. */
  long size() {
    return action.length + (source == null ? 0 : source.length + 1);
  }

  /** A delete rather than an index action. */
  boolean isDelete() {
    return source == null;
  }

  /** The source line, without its line feed (for the dead-letter output); null for a delete. */
  byte[] source() {
    return source == null ? null : source.clone();
  }

  static Coder<BulkItem> coder() {
    return BulkItemCoder.INSTANCE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BulkItem && Arrays.equals(((BulkItem) o).action, action) && Arrays.equals(((BulkItem) o).source, source);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(action) * 31 + Arrays.hashCode(source);
  }

  @Override
  public String toString() {
    return index + "/" + id;
  }

  private static final class BulkItemCoder extends AtomicCoder<BulkItem> {
    private static final BulkItemCoder INSTANCE = new BulkItemCoder();
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<byte[]> BYTES = ByteArrayCoder.of();

    @Override
    public void encode(BulkItem item, OutputStream out) throws IOException {
      STRING.encode(item.index, out);
      STRING.encode(item.id, out);
      NULLABLE_STRING.encode(item.routing, out);
      BYTES.encode(item.lines(), out);
      // the source follows the action line, which ends at the first line feed
    }

    @Override
    public BulkItem decode(InputStream in) throws IOException {
      String index = STRING.decode(in);
      String id = STRING.decode(in);
      String routing = NULLABLE_STRING.decode(in);
      byte[] lines = BYTES.decode(in);
      int newline = 0;
      while (lines[newline] != '\n') {
        newline++;
      }
      byte[] action = Arrays.copyOf(lines, newline + 1);
      byte[] source = newline + 1 >= lines.length ? null : Arrays.copyOfRange(lines, newline + 1, lines.length - 1);
      return new BulkItem(index, id, routing, action, source);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
