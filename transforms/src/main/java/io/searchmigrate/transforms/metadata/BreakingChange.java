package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the breaking-change catalogue ({@code breaking-changes.json}, data kept with the transformations):
 * which versions it concerns, the detector that finds what it touches in a source, what the migration changes by
 * itself, and the client changes it requires.
 */
public final class BreakingChange {
  /** Who has to act: nobody (the migration handles it), client code, or an operator by hand. */
  public enum Kind { AUTOMATIC, CLIENT, DATA, MANUAL }

  private final String id;
  private final String title;
  private final VersionRange source;
  private final VersionRange target;
  private final String detector;
  private final Kind kind;
  private final String why;
  private final List<String> automatic;
  private final List<String> clientChanges;

  private BreakingChange(JsonNode node) {
    this.id = node.path("id").asText();
    this.title = node.path("title").asText();
    this.source = VersionRange.parse(node.path("source").asText("any"));
    this.target = VersionRange.parse(node.path("target").asText("any"));
    this.detector = node.path("detector").asText();
    this.kind = Kind.valueOf(node.path("kind").asText("manual").toUpperCase(java.util.Locale.ROOT));
    this.why = node.path("why").asText();
    List<String> auto = new ArrayList<>();
    node.path("automatic").forEach(a -> auto.add(a.asText()));
    this.automatic = List.copyOf(auto);
    List<String> client = new ArrayList<>();
    node.path("client_changes").forEach(c -> client.add(c.asText()));
    this.clientChanges = List.copyOf(client);
  }

  /** The whole catalogue, in the order it is written. */
  public static List<BreakingChange> catalogue() {
    try (InputStream in = BreakingChange.class.getResourceAsStream("breaking-changes.json")) {
      JsonNode entries = Json.mapper().readTree(in);
      List<BreakingChange> list = new ArrayList<>();
      entries.forEach(e -> list.add(new BreakingChange(e)));
      return list;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the breaking-change catalogue", e);
    }
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public VersionRange sourceRange() {
    return source;
  }

  public VersionRange targetRange() {
    return target;
  }

  public String detector() {
    return detector;
  }

  public Kind kind() {
    return kind;
  }

  public String why() {
    return why;
  }

  /** Names of the transformations that handle it. */
  public List<String> automatic() {
    return automatic;
  }

  public List<String> clientChanges() {
    return clientChanges;
  }
}
