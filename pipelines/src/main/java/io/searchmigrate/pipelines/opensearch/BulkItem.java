package io.searchmigrate.pipelines.opensearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.searchmigrate.transforms.document.TargetDocument;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * One document as the two NDJSON lines of a {@code _bulk} body (action, then source; a delete has the action line
 * only), built once, with the names needed to count it and to report it if it fails. Batches are these lines concatenated.
 */
final class BulkItem {
  private static final JsonFactory JSON = new JsonFactory();

  private final String index;
  private final String id;
  private final String routing;
  /** {@code {"index":{...}}\n<source>\n} */
  private final byte[] lines;
  /** Where the source line starts in {@link #lines}. */
  private final int sourceOffset;

  private BulkItem(String index, String id, String routing, byte[] lines, int sourceOffset) {
    this.index = index;
    this.id = id;
    this.routing = routing;
    this.lines = lines;
    this.sourceOffset = sourceOffset;
  }

  static BulkItem of(TargetDocument document) {
    return of("index", document);
  }

  /** A {@code delete} of the document (its source is not sent): one line. */
  static BulkItem deleteOf(TargetDocument document) {
    return of("delete", document);
  }

  private static BulkItem of(String action, TargetDocument document) {
    byte[] source = action.equals("delete") ? null : document.source();
    ByteArrayOutputStream out = new ByteArrayOutputStream((source == null ? 0 : source.length) + 96);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart(action);
      g.writeStringField("_index", document.index());
      g.writeStringField("_id", document.id());
      if (document.routing() != null) {
        g.writeStringField("routing", document.routing());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    int sourceOffset = out.size();
    if (source != null) {
      out.write(source, 0, source.length);
      out.write('\n');
    }
    return new BulkItem(document.index(), document.id(), document.routing(), out.toByteArray(), sourceOffset);
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

  /** Both lines, each ending with a line feed. */
  byte[] lines() {
    return lines;
  }

  /** Bytes this item adds to a bulk body: what batches are bounded by. */
  long size() {
    return lines.length;
  }

  /** A delete rather than an index action. */
  boolean isDelete() {
    return sourceOffset >= lines.length;
  }

  /** The source line, without its line feed (for the dead-letter output); null for a delete. */
  byte[] source() {
    return isDelete() ? null : Arrays.copyOfRange(lines, sourceOffset, lines.length - 1);
  }

  static Coder<BulkItem> coder() {
    return BulkItemCoder.INSTANCE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BulkItem && Arrays.equals(((BulkItem) o).lines, lines);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(lines);
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
      BYTES.encode(item.lines, out);
      // the offset follows from the action line, which ends at the first line feed
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
      return new BulkItem(index, id, routing, lines, newline + 1);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
