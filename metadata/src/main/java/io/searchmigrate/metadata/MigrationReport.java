package io.searchmigrate.metadata;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The account of a metadata evaluate or migrate run: the clusters, every selected item with its outcome and
 * transformations, the items excluded and why, differences found by validation, and a count of issues.
 */
public final class MigrationReport {
  private final String mode;
  private final String source;
  private final String target;
  private final List<ItemResult> items = new ArrayList<>();
  private final Map<String, String> excluded = new TreeMap<>();

  MigrationReport(String mode, String source, String target) {
    this.mode = mode;
    this.source = source;
    this.target = target;
  }

  void add(ItemResult item) {
    items.add(item);
  }

  ItemResult addAndReturn(ItemResult item) {
    items.add(item);
    return item;
  }

  void exclude(String description, String reason) {
    excluded.put(description, reason);
  }

  public List<ItemResult> items() {
    return Collections.unmodifiableList(items);
  }

  public Map<String, String> excluded() {
    return Collections.unmodifiableMap(excluded);
  }

  public List<ItemResult> items(ItemResult.Section section) {
    return items.stream().filter(i -> i.section == section).toList();
  }

  public ItemResult item(ItemResult.Section section, String name) {
    return items.stream().filter(i -> i.section == section && i.name.equals(name)).findFirst().orElse(null);
  }

  public long failures() {
    return items.stream().filter(i -> i.outcome.isFailure()).count();
  }

  /** Warnings of transformations plus differences validation found. */
  public long warnings() {
    return items.stream().mapToLong(i -> i.warnings.size() + i.differences.size()).sum();
  }

  public long issues() {
    return failures() + warnings();
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("Metadata ").append(mode).append(": ").append(source).append("\n  → ").append(target).append("\n");
    for (ItemResult.Section section : ItemResult.Section.values()) {
      out.append('\n').append(section.title()).append('\n');
      List<ItemResult> list = items(section);
      if (list.isEmpty()) {
        out.append("  (none)\n");
      }
      for (ItemResult item : list) {
        out.append(String.format("  %-13s %s", item.outcome.label(), item.name));
        if (!item.name.equals(item.sourceName)) {
          out.append(section == ItemResult.Section.ALIAS ? " → " : " (from ").append(item.sourceName)
              .append(section == ItemResult.Section.ALIAS ? "" : ")");
        }
        if (!item.transformations.isEmpty()) {
          out.append("  [").append(String.join(", ", item.transformations)).append(']');
        }
        out.append('\n');
        if (item.reason != null) {
          out.append("      reason: ").append(item.reason).append('\n');
        }
        item.notes.forEach(n -> out.append("      note: ").append(n).append('\n'));
        item.warnings.forEach(w -> out.append("      WARNING: ").append(w).append('\n'));
        item.differences.forEach(d -> out.append("      DIFFERENCE: ").append(d).append('\n'));
      }
    }
    if (!excluded.isEmpty()) {
      out.append("\nExcluded (").append(excluded.size()).append("; name them in an allowlist to include them)\n");
      excluded.forEach((what, why) -> out.append("  ").append(what).append(": ").append(why).append('\n'));
    }
    Map<String, Integer> counts = transformationCounts();
    out.append("\nTransformations applied");
    out.append(counts.isEmpty() ? ": none\n" : "\n");
    counts.forEach((name, n) -> out.append("  ").append(name).append(" (").append(n).append(" item(s))\n"));
    out.append(String.format("%nResult: %d failed, %d warning(s) or difference(s): %s%n", failures(), warnings(),
        issues() == 0 ? "no issues" : issues() + " issue(s) detected"));
    return out.toString();
  }

  public ObjectNode toJson() {
    ObjectNode root = Json.object().put("mode", mode).put("source", source).put("target", target);
    ArrayNode list = root.putArray("items");
    items.forEach(i -> list.add(i.toJson()));
    ArrayNode excludedList = root.putArray("excluded");
    excluded.forEach((what, why) -> excludedList.add(Json.object().put("item", what).put("reason", why)));
    root.set("transformations", Json.mapper().valueToTree(transformationCounts()));
    root.putObject("summary").put("items", items.size()).put("failed", failures()).put("warnings", warnings()).put("issues", issues());
    return root;
  }

  private Map<String, Integer> transformationCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    items.forEach(i -> i.transformations.forEach(t -> counts.merge(t, 1, Integer::sum)));
    return counts;
  }
}
