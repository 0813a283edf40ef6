package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One side's view of a document, ready to compare: where it lives on the target (after the migration's index and
 * type mapping), its routing and its source, plus where it came from on the source side (to fetch it again).
 *
 * <p>Sources are compared by the {@link CanonicalJson#digest digest} of their canonical form, taken once when the
 * document is read; the source is kept as stored (no copy) and made canonical text only for a document that is shown
 * as a difference.
 */
public final class ComparedDocument implements Serializable {
  private static final long serialVersionUID = 2L;
  private final String index;
  private final String id;
  private final String routing;
  private final byte[] source;
  private final byte[] digest;
  private final String originIndex;
  private final String originType;

  /** A document whose source is given as (canonical) JSON text, null when it has none. */
  public ComparedDocument(String index, String id, String routing, String canonicalSource, String originIndex,
      String originType) {
    this(index, id, routing, canonicalSource == null ? null : canonicalSource.getBytes(StandardCharsets.UTF_8),
        originIndex, originType);
  }

  /** A document with its {@code _source} as stored (any content type), null or empty when it has none. */
  public ComparedDocument(String index, String id, String routing, byte[] source, String originIndex,
      String originType) {
    this(index, id, routing, source, CanonicalJson.digest(source), originIndex, originType);
  }

  /** For decoding: the digest as computed before. */
  ComparedDocument(String index, String id, String routing, byte[] source, byte[] digest, String originIndex,
      String originType) {
    this.index = Objects.requireNonNull(index);
    this.id = Objects.requireNonNull(id);
    this.routing = routing;
    this.source = source == null || source.length == 0 ? null : source;
    // a document without its source but with a digest is one whose source was left behind (withoutSource)
    this.digest = this.source == null ? digest : Objects.requireNonNull(digest);
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

  /** {@link CanonicalJson} text of the source; null when the document has none. Made on each call. */
  public String canonicalSource() {
    return CanonicalJson.of(source);
  }

  /** The source as stored, or null. */
  byte[] source() {
    return source;
  }

  /** The 128-bit digest of the canonical source, or null when there is none. */
  byte[] digest() {
    return digest;
  }

  /**
   * The same document compared by its digest alone: what the comparison carries through its join, so that the
   * runner's copies of each group do not copy every ~1 KB source (BENCHMARKS.md, Validation). The sources of the
   * documents that differ are fetched afterwards ({@link #withSourceOf}).
   */
  ComparedDocument withoutSource() {
    return source == null ? this : new ComparedDocument(index, id, routing, null, digest, originIndex, originType);
  }

  /** Whether this document carries a digest but no source ({@link #withoutSource()}). */
  boolean sourceLeftBehind() {
    return source == null && digest != null;
  }

  /** This document with the source of {@code found} (the same document read again), its own digest kept. */
  ComparedDocument withSourceOf(ComparedDocument found) {
    return new ComparedDocument(index, id, routing, found.source, digest, originIndex, originType);
  }

  /** What identifies this copy of the document among those fetched again: key, origin and digest. */
  String identity() {
    return key() + '\u0000' + originIndex + '\u0000' + originType + '\u0000' + java.util.HexFormat.of().formatHex(digest);
  }

  /** Whether both have the same source, compared canonically (key order and number formats do not count). */
  public boolean sameSource(ComparedDocument other) {
    return Arrays.equals(digest, other.digest);
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
    String canonical = canonicalSource();
    if (sourceLeftBehind()) {
      node.set("source", null);
      node.put("digest", java.util.HexFormat.of().formatHex(digest)); // its source is fetched after the run
    } else if (canonical == null) {
      node.set("source", null);
    } else if (canonical.startsWith(CanonicalJson.UNPARSABLE)) {
      node.put("source", canonical); // shown as the text it is stored as
    } else {
      node.set("source", Json.parse(canonical));
    }
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
    return index.equals(d.index) && id.equals(d.id) && Objects.equals(routing, d.routing) && sameSource(d)
        && originIndex.equals(d.originIndex) && Objects.equals(originType, d.originType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, id, routing, Arrays.hashCode(digest));
  }

  @Override
  public String toString() {
    return index + "/" + id + (routing == null ? "" : " routing=" + routing) + " " + canonicalSource();
  }
}
