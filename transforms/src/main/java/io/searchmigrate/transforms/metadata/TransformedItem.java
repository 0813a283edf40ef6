package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One item ready for the target: its kind, the source item it comes from, its name on the target, the exact body
 * to PUT, and what the named transformations did to it.
 */
public final class TransformedItem {
  private final TransformContext.ItemKind kind;
  private final String sourceName;
  private final String targetName;
  private final ObjectNode body;
  private final List<String> applied;
  private final List<String> notes;
  private final List<String> warnings;

  TransformedItem(TransformContext.ItemKind kind, String sourceName, String targetName, ObjectNode body, List<String> applied,
      List<String> notes, List<String> warnings) {
    this.kind = kind;
    this.sourceName = sourceName;
    this.targetName = targetName;
    this.body = body;
    this.applied = List.copyOf(applied);
    this.notes = List.copyOf(notes);
    this.warnings = List.copyOf(warnings);
  }

  public TransformContext.ItemKind kind() {
    return kind;
  }

  public String sourceName() {
    return sourceName;
  }

  public String targetName() {
    return targetName;
  }

  /** The body to send; a copy, so callers may change it. */
  public ObjectNode body() {
    return body.deepCopy();
  }

  public List<String> applied() {
    return applied;
  }

  public List<String> notes() {
    return notes;
  }

  /** What could not be carried over faithfully: counted as issues in reports. */
  public List<String> warnings() {
    return warnings;
  }

  /** The same item with one setting removed, after the target refused it by name. */
  public TransformedItem withoutSetting(String key, String reason) {
    ObjectNode copy = body.deepCopy();
    ObjectNode settings = (ObjectNode) (kind == TransformContext.ItemKind.INDEX || kind == TransformContext.ItemKind.LEGACY_TEMPLATE
        ? copy.path("settings") : copy.path("template").path("settings"));
    if (!(settings instanceof ObjectNode)) {
      return null;
    }
    String[] candidates = key.startsWith("index.") ? new String[] {key, key.substring(6)} : new String[] {key, "index." + key};
    boolean removed = false;
    for (String candidate : candidates) {
      removed |= settings.remove(candidate) != null;
    }
    if (!removed) {
      return null;
    }
    List<String> moreApplied = new java.util.ArrayList<>(applied);
    if (!moreApplied.contains("drop-rejected-settings")) {
      moreApplied.add("drop-rejected-settings");
    }
    List<String> moreWarnings = new java.util.ArrayList<>(warnings);
    moreWarnings.add("setting " + key + " removed: the target rejected it (" + reason + ")");
    return new TransformedItem(kind, sourceName, targetName, copy, moreApplied, notes, moreWarnings);
  }

  @Override
  public String toString() {
    return kind + " " + targetName;
  }
}
