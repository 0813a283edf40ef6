package io.searchmigrate.common;

import io.searchmigrate.common.metadata.TemplateMetadata;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Which indices and templates a migration step works on: the one rule shared by assessment, metadata, backfill,
 * snapshot dump (and validation and replay), so every step picks the same indices from the same source.
 *
 * <pre>{@code
 * Selection selection = Selection.ofIndices(List.of("orders-*"));
 * List<String> chosen = selection.indices(snapshotIndexNames, "snapshot 'snap-1'");
 * }</pre>
 *
 * <p>With no allowlist for a kind, everything except system and stack items is chosen; a non-empty allowlist
 * ({@link NamePattern}s: exact names, {@code *} patterns or {@code regex:}) chooses exactly what it names, system
 * items included. An index allowlist entry that matches nothing is an error, never a silently smaller run.
 */
public final class Selection implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Indices every step skips by default: the source's own machinery. */
  public static final List<String> SYSTEM_INDICES = List.of("regex:\\..*", "regex:ilm-history-.*", "watches",
      "triggered_watches", "regex:watch_history_.*", "searchguard", "regex:sg7-.*");
  /** Templates every step skips by default: X-Pack and stack templates (the target brings its own). */
  public static final List<String> STACK_TEMPLATES = List.of("regex:\\..*", "logs", "metrics", "traces", "synthetics",
      "profiling", "ilm-history", "regex:ilm-history-.*", "slm-history", "watches", "triggered_watches",
      "regex:watch_history_.*", "security-index-template", "security_audit_log", "logstash-index-template",
      "regex:.*@(settings|mappings|template|ilm|package|custom|lifecycle)",
      "regex:(logs|metrics|synthetics|traces|profiling|data-streams)-(settings|mappings|.*-settings|.*-mappings)",
      "regex:ecs@.*", "regex:elastic-connectors.*", "regex:kibana.*", "regex:apm-.*", "regex:behavioral_analytics-.*",
      "regex:search-acl-filter");
  private static final List<NamePattern> SYSTEM_INDEX_PATTERNS = patterns(SYSTEM_INDICES);
  private static final List<NamePattern> STACK_TEMPLATE_PATTERNS = patterns(STACK_TEMPLATES);

  private final List<NamePattern> indices;
  private final List<NamePattern> indexTemplates;
  private final List<NamePattern> componentTemplates;

  private Selection(List<NamePattern> indices, List<NamePattern> indexTemplates, List<NamePattern> componentTemplates) {
    this.indices = indices;
    this.indexTemplates = indexTemplates;
    this.componentTemplates = componentTemplates;
  }

  /** Allowlists; each may be empty (built-in exclusions apply to that kind). Index templates include legacy ones. */
  public static Selection of(List<String> indices, List<String> indexTemplates, List<String> componentTemplates) {
    return new Selection(patterns(indices), patterns(indexTemplates), patterns(componentTemplates));
  }

  /** An index allowlist (empty: every index but system ones), templates by default. */
  public static Selection ofIndices(List<String> indices) {
    return of(indices, List.of(), List.of());
  }

  public static Selection defaults() {
    return of(List.of(), List.of(), List.of());
  }

  /** True when no index allowlist was given. */
  public boolean allIndices() {
    return indices.isEmpty();
  }

  /**
   * The chosen indices among {@code available}, sorted by name. An allowlist entry that matches none of them is an
   * error that names {@code where} (for example "snapshot 'snap-1'") and lists what it holds.
   */
  public List<String> indices(Collection<String> available, String where) {
    List<String> unmatched = new ArrayList<>();
    for (NamePattern entry : indices) {
      if (available.stream().noneMatch(entry::matches)) {
        unmatched.add("'" + entry + "'");
      }
    }
    if (!unmatched.isEmpty()) {
      throw new UserError("no index " + String.join(", ", unmatched) + " in " + where + "; it holds " + new TreeSet<>(available));
    }
    List<String> chosen = new ArrayList<>();
    new TreeSet<>(available).stream().filter(name -> indexExclusion(name) == null).forEach(chosen::add);
    return chosen;
  }

  /** Null when the index is chosen; otherwise why not. */
  public String indexExclusion(String name) {
    if (!indices.isEmpty()) {
      return matchesAny(indices, name) ? null : "not in the index allowlist";
    }
    return matchesAny(SYSTEM_INDEX_PATTERNS, name) ? "system index (skipped unless allowlisted)" : null;
  }

  /** Null when the template is chosen; otherwise why not. */
  public String templateExclusion(TemplateMetadata template) {
    boolean component = template.kind() == TemplateMetadata.Kind.COMPONENT;
    List<NamePattern> allow = component ? componentTemplates : indexTemplates;
    if (!allow.isEmpty()) {
      return matchesAny(allow, template.name()) ? null
          : "not in the " + (component ? "component" : "index") + " template allowlist";
    }
    if (matchesAny(STACK_TEMPLATE_PATTERNS, template.name())) {
      return "system or stack template (skipped unless allowlisted)";
    }
    if (!template.patterns().isEmpty() && template.patterns().stream().allMatch(p -> p.startsWith("."))) {
      return "template for system indices only (" + template.patterns() + ")";
    }
    return null;
  }

  @Override
  public String toString() {
    return indices.isEmpty() ? "all indices but system ones" : "indices " + indices;
  }

  private static boolean matchesAny(List<NamePattern> entries, String name) {
    return entries.stream().anyMatch(e -> e.matches(name));
  }

  private static List<NamePattern> patterns(List<String> texts) {
    List<NamePattern> list = new ArrayList<>();
    for (String text : texts) {
      if (!text.isBlank()) {
        list.add(NamePattern.parse(text));
      }
    }
    return List.copyOf(list);
  }
}
