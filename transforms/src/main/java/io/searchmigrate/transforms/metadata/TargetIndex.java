package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An index definition transformed for the target: flat settings and type-less mappings, plus the names of the
 * transformations applied and notes for the report.
 */
public final class TargetIndex {
  private final String name;
  private final ObjectNode settings;
  private final ObjectNode mappings;
  private final List<String> applied;
  private final List<String> notes;

  TargetIndex(String name, ObjectNode settings, ObjectNode mappings, List<String> applied, List<String> notes) {
    this.name = name;
    this.settings = settings;
    this.mappings = mappings;
    this.applied = Collections.unmodifiableList(applied);
    this.notes = Collections.unmodifiableList(notes);
  }

  public String name() {
    return name;
  }

  public ObjectNode settings() {
    return settings.deepCopy();
  }

  public ObjectNode mappings() {
    return mappings.deepCopy();
  }

  /** Names of the transformations that changed something, in order. */
  public List<String> applied() {
    return applied;
  }

  /** What the transformations did, for people. */
  public List<String> notes() {
    return notes;
  }

  /** The body of {@code PUT /<index>}. */
  public ObjectNode createBody() {
    ObjectNode body = Json.object();
    body.set("settings", settings.deepCopy());
    body.set("mappings", mappings.deepCopy());
    return body;
  }

  /** The same index without one setting: used when the target rejects a setting by name. */
  public TargetIndex withoutSetting(String key, String reason) {
    ObjectNode trimmed = settings.deepCopy();
    JsonNode removed = trimmed.remove(key);
    if (removed == null && key.startsWith("index.")) {
      removed = trimmed.remove(key.substring("index.".length()));
    } else if (removed == null) {
      removed = trimmed.remove("index." + key);
    }
    if (removed == null) {
      return null;
    }
    List<String> more = new ArrayList<>(notes);
    more.add("removed setting " + key + " (" + reason + ")");
    List<String> names = new ArrayList<>(applied);
    if (!names.contains("drop-rejected-settings")) {
      names.add("drop-rejected-settings");
    }
    return new TargetIndex(name, trimmed, mappings, names, more);
  }
}
