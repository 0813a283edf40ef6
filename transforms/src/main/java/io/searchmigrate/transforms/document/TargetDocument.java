package io.searchmigrate.transforms.document;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A document ready for the target: index, id, routing (null for the default) and its source as JSON on a
 * single line, so it can go into an NDJSON bulk body as is.
 */
public final class TargetDocument {
  private final String index;
  private final String id;
  private final String routing;
  private final byte[] source;

  public TargetDocument(String index, String id, String routing, byte[] singleLineJsonSource) {
    this.index = Objects.requireNonNull(index, "index");
    this.id = Objects.requireNonNull(id, "id");
    this.routing = routing;
    this.source = Objects.requireNonNull(singleLineJsonSource, "source");
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

  /** Single-line JSON. */
  public byte[] source() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TargetDocument)) {
      return false;
    }
    TargetDocument d = (TargetDocument) o;
    return index.equals(d.index) && id.equals(d.id) && Objects.equals(routing, d.routing) && Arrays.equals(source, d.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, id, routing) * 31 + Arrays.hashCode(source);
  }

  @Override
  public String toString() {
    return index + "/" + id + (routing == null ? "" : " routing=" + routing) + " " + new String(source, StandardCharsets.UTF_8);
  }
}
