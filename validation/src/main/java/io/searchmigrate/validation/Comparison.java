package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.io.Serializable;
import java.util.Objects;

/** The verdict on one (index, {@code _id}): its category and, unless equal, both sides as found. */
public final class Comparison implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String index;
  private final String id;
  private final Category category;
  private final ComparedDocument source;
  private final ComparedDocument target;

  public Comparison(String index, String id, Category category, ComparedDocument source, ComparedDocument target) {
    this.index = Objects.requireNonNull(index);
    this.id = Objects.requireNonNull(id);
    this.category = Objects.requireNonNull(category);
    this.source = source;
    this.target = target;
  }

  /** Classifies one key from what each side holds (either may be null). */
  public static Comparison of(String index, String id, ComparedDocument source, ComparedDocument target) {
    Category category;
    if (source == null && target == null) {
      throw new IllegalArgumentException("nothing to compare for " + index + "/" + id);
    } else if (target == null) {
      category = Category.MISSING;
    } else if (source == null) {
      category = Category.UNEXPECTED;
    } else if (!source.sameSource(target)) {
      category = Category.DIFFERS;
    } else if (!Objects.equals(source.routing(), target.routing())) {
      category = Category.ROUTING;
    } else {
      category = Category.EQUAL;
    }
    return new Comparison(index, id, category, source, target);
  }

  public String index() {
    return index;
  }

  public String id() {
    return id;
  }

  public Category category() {
    return category;
  }

  public ComparedDocument source() {
    return source;
  }

  public ComparedDocument target() {
    return target;
  }

  /** The same finding with these sides (their sources fetched again). */
  Comparison withSides(ComparedDocument source, ComparedDocument target) {
    return new Comparison(index, id, category, source, target);
  }

  /** The same documents, counted as in flight (they converged while the run settled). */
  Comparison inFlight() {
    return new Comparison(index, id, Category.IN_FLIGHT, source, target);
  }

  /** One line of the differences file: index, id, category, and each side as found. */
  public String toJsonLine() {
    return Json.toString(toJson());
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("index", index);
    node.put("id", id);
    node.put("category", category.label());
    node.set("source", source == null ? null : source.toJson());
    node.set("target", target == null ? null : target.toJson());
    return node;
  }

  /** Reads a line written by {@link #toJsonLine()}. */
  public static Comparison fromJson(JsonNode node) {
    String index = node.path("index").asText();
    String id = node.path("id").asText();
    return new Comparison(index, id, Category.ofLabel(node.path("category").asText()),
        side(index, id, node.get("source")), side(index, id, node.get("target")));
  }

  static ComparedDocument side(String index, String id, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.hasNonNull("digest")) { // compared by digest, its source to be fetched
      return new ComparedDocument(index, id, node.hasNonNull("routing") ? node.get("routing").asText() : null, null,
          java.util.HexFormat.of().parseHex(node.get("digest").asText()), node.path("index").asText(index),
          node.hasNonNull("type") ? node.get("type").asText() : null);
    }
    JsonNode source = node.get("source");
    String canonical = source == null || source.isNull() ? null
        : source.isTextual() && source.asText().startsWith(CanonicalJson.UNPARSABLE)
            ? source.asText().substring(CanonicalJson.UNPARSABLE.length()) // as stored, as toJson shows it
            : CanonicalJson.of(source);
    return new ComparedDocument(index, id, node.hasNonNull("routing") ? node.get("routing").asText() : null,
        canonical, node.path("index").asText(index),
        node.hasNonNull("type") ? node.get("type").asText() : null);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Comparison)) {
      return false;
    }
    Comparison c = (Comparison) o;
    return index.equals(c.index) && id.equals(c.id) && category == c.category && Objects.equals(source, c.source)
        && Objects.equals(target, c.target);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, id, category);
  }

  @Override
  public String toString() {
    return category.label() + " " + index + "/" + id;
  }
}
