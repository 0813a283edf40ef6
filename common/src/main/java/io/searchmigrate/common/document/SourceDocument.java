package io.searchmigrate.common.document;

import java.util.Arrays;
import java.util.Objects;

/**
 * One live document as the source stored it: index, mapping type (Elasticsearch 5 and older only), id,
 * routing (when set) and the raw {@code _source} bytes in whatever content type the client used (null when
 * the index does not store a source).
 */
public final class SourceDocument {
  private final String index;
  private final String type;
  private final String id;
  private final String routing;
  private final byte[] source;

  public SourceDocument(String index, String type, String id, String routing, byte[] source) {
    this.index = Objects.requireNonNull(index, "index");
    this.type = type;
    this.id = Objects.requireNonNull(id, "id");
    this.routing = routing;
    this.source = source;
  }

  public String index() {
    return index;
  }

  /** The mapping type, or null where types no longer exist (Elasticsearch 6+ stores none per document). */
  public String type() {
    return type;
  }

  public String id() {
    return id;
  }

  /** The custom routing value, or null when the document used the default (its id). */
  public String routing() {
    return routing;
  }

  /** Raw {@code _source} bytes as stored, or null when the index keeps no source. */
  public byte[] source() {
    return source;
  }

  public boolean hasSource() {
    return source != null && source.length > 0;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SourceDocument)) {
      return false;
    }
    SourceDocument d = (SourceDocument) o;
    return index.equals(d.index) && Objects.equals(type, d.type) && id.equals(d.id) && Objects.equals(routing, d.routing)
        && Arrays.equals(source, d.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, type, id, routing) * 31 + Arrays.hashCode(source);
  }

  @Override
  public String toString() {
    return index + "/" + (type == null ? "" : type + "/") + id + (routing == null ? "" : " routing=" + routing);
  }
}
