package io.searchmigrate.metadata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.util.ArrayList;
import java.util.List;

/** What became of one template, index or alias: its outcome, the reason, and the transformations applied. */
public final class ItemResult {
  /** Sections of the report, in the order items are created. */
  public enum Section {
    LEGACY_TEMPLATE("Legacy templates"), COMPONENT_TEMPLATE("Component templates"), INDEX_TEMPLATE("Index templates"),
    INDEX("Indices"), ALIAS("Aliases");

    private final String title;

    Section(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }

  /** The outcome of an item. */
  public enum Outcome {
    CREATED("created"), WOULD_CREATE("would create"), SKIPPED("skipped"), FAILED("FAILED"), WOULD_FAIL("WOULD FAIL");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public boolean isFailure() {
      return this == FAILED || this == WOULD_FAIL;
    }
  }

  public final Section section;
  public final String name;
  public final String sourceName;
  public final Outcome outcome;
  public final String reason;
  public final List<String> transformations;
  public final List<String> notes;
  public final List<String> warnings;
  /** Differences between what was sent and what the target holds (filled by validation). */
  public final List<String> differences = new ArrayList<>();
  /** The item as transformed for the target (null for aliases and items that could not be transformed). */
  io.searchmigrate.transforms.metadata.TransformedItem sent;

  ItemResult(Section section, String name, String sourceName, Outcome outcome, String reason, List<String> transformations,
      List<String> notes, List<String> warnings) {
    this.section = section;
    this.name = name;
    this.sourceName = sourceName;
    this.outcome = outcome;
    this.reason = reason;
    this.transformations = List.copyOf(transformations);
    this.notes = List.copyOf(notes);
    this.warnings = List.copyOf(warnings);
  }

  ObjectNode toJson() {
    ObjectNode node = Json.object().put("kind", section.name().toLowerCase()).put("name", name).put("outcome", outcome.name().toLowerCase());
    if (!name.equals(sourceName)) {
      node.put("source_name", sourceName);
    }
    if (reason != null) {
      node.put("reason", reason);
    }
    node.set("transformations", Json.mapper().valueToTree(transformations));
    node.set("notes", Json.mapper().valueToTree(notes));
    node.set("warnings", Json.mapper().valueToTree(warnings));
    if (!differences.isEmpty()) {
      node.set("differences", Json.mapper().valueToTree(differences));
    }
    return node;
  }
}
