package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.io.Serializable;
import java.util.Objects;

/**
 * One side's view of a document, ready to compare: where it lives on the target (after the migration's index and
 * type mapping), its routing and its canonical source, plus where it came from on the source side (to fetch it again).
 */
public final class ComparedDocument implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String index;
  private final String id;
  private final String routing;
  private final String canonicalSource;
  private final String originIndex;
  private final String originType;

  public ComparedDocument(String index, String id, String routing, String canonicalSource, String originIndex,
      String originType) {
    this.index = Objects.requireNonNull(index);
    this.id = Objects.requireNonNull(id);
    this.routing = routing;
    this.canonicalSource = canonicalSource;
    this.originIndex = originIndex == null ? index : originIndex;
    this.originType = originType;
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

  /** {@link CanonicalJson} text of the source; null when the document has none. */
  public String canonicalSource() {
    return canonicalSource;
  }

  /** The index the document was read from (before a {@code split} renamed it). */
  public String originIndex() {
    return originIndex;
  }

  /** The mapping type it had (Elasticsearch 5 and 6), or null. */
  public String originType() {
    return originType;
  }

  /** The key both sides are grouped by. */
  public String key() {
    return key(index, id);
  }

  public static String key(String index, String id) {
    return index + '\u0000' + id;
  }

  ObjectNode toJson() {
    ObjectNode node = Json.object();
    if (routing != null) {
      node.put("routing", routing);
    }
    node.set("source", canonicalSource == null ? null : Json.parse(canonicalSource));
    if (!originIndex.equals(index)) {
      node.put("index", originIndex);
    }
    if (originType != null) {
      node.put("type", originType);
    }
    return node;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ComparedDocument)) {
      return false;
    }
    ComparedDocument d = (ComparedDocument) o;
    return index.equals(d.index) && id.equals(d.id) && Objects.equals(routing, d.routing)
        && Objects.equals(canonicalSource, d.canonicalSource) && originIndex.equals(d.originIndex)
        && Objects.equals(originType, d.originType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, id, routing, canonicalSource);
  }

  @Override
  public String toString() {
    return index + "/" + id + (routing == null ? "" : " routing=" + routing) + " " + canonicalSource;
  }
}
