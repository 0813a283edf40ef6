package io.searchmigrate.metadata;

import io.searchmigrate.common.NamePattern;
import io.searchmigrate.common.metadata.TemplateMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Which indices and templates to migrate. With no allowlist for a kind, everything except system and stack
 * items is chosen; a non-empty allowlist ({@link NamePattern}s: exact names, {@code *} patterns or {@code regex:})
 * chooses exactly what it names, system items included.
 */
public final class Selection {
  /** Indices a migration skips by default: the source's own machinery. */
  static final List<String> SYSTEM_INDICES = List.of("regex:\\..*", "regex:ilm-history-.*", "watches", "triggered_watches",
      "regex:watch_history_.*", "searchguard", "regex:sg7-.*");
  /** Templates a migration skips by default: X-Pack and stack templates (the target brings its own). */
  static final List<String> STACK_TEMPLATES = List.of("regex:\\..*", "logs", "metrics", "traces", "synthetics", "profiling",
      "ilm-history", "regex:ilm-history-.*", "slm-history", "watches", "triggered_watches", "regex:watch_history_.*",
      "security-index-template", "security_audit_log", "logstash-index-template", "regex:.*@(settings|mappings|template|ilm|package|custom|lifecycle)",
      "regex:(logs|metrics|synthetics|traces|profiling|data-streams)-(settings|mappings|.*-settings|.*-mappings)",
      "regex:ecs@.*", "regex:elastic-connectors.*", "regex:kibana.*", "regex:apm-.*", "regex:behavioral_analytics-.*",
      "regex:search-acl-filter");

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
    return new Selection(entries(indices), entries(indexTemplates), entries(componentTemplates));
  }

  public static Selection defaults() {
    return of(List.of(), List.of(), List.of());
  }

  /** Null when chosen; otherwise why not. */
  public String indexExclusion(String name) {
    if (!indices.isEmpty()) {
      return matchesAny(indices, name) ? null : "not in the index allowlist";
    }
    return matchesAny(entries(SYSTEM_INDICES), name) ? "system index (skipped unless allowlisted)" : null;
  }

  /** Null when chosen; otherwise why not. */
  public String templateExclusion(TemplateMetadata template) {
    List<NamePattern> allow = template.kind() == TemplateMetadata.Kind.COMPONENT ? componentTemplates : indexTemplates;
    if (!allow.isEmpty()) {
      return matchesAny(allow, template.name()) ? null : "not in the " + (template.kind() == TemplateMetadata.Kind.COMPONENT
          ? "component" : "index") + " template allowlist";
    }
    if (matchesAny(entries(STACK_TEMPLATES), template.name())) {
      return "system or stack template (skipped unless allowlisted)";
    }
    if (!template.patterns().isEmpty() && template.patterns().stream().allMatch(p -> p.startsWith("."))) {
      return "template for system indices only (" + template.patterns() + ")";
    }
    return null;
  }

  private static boolean matchesAny(List<NamePattern> entries, String name) {
    return entries.stream().anyMatch(e -> e.matches(name));
  }

  private static List<NamePattern> entries(List<String> texts) {
    List<NamePattern> list = new ArrayList<>();
    for (String text : texts) {
      if (!text.isBlank()) {
        list.add(NamePattern.parse(text));
      }
    }
    return list;
  }

}
