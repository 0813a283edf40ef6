package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one document comparison: per index the documents on each side and per category, every difference
 * (sorted by index, id), and the verdict. A run with any difference, or with an index (or the whole run) that had no
 * document to compare, fails.
 *
 * <pre>{@code
 * ValidationReport report = job.run();
 * System.out.print(report.renderText(20));
 * System.exit(report.passed() ? 0 : 1);
 * }</pre>
 */
public final class ValidationReport {
  /** One index's counts. */
  public static final class IndexResult {
    final String index;
    final Map<Category, Long> counts = new EnumMap<>(Category.class);

    IndexResult(String index) {
      this.index = index;
      for (Category c : Category.values()) {
        counts.put(c, 0L);
      }
    }

    public String index() {
      return index;
    }

    public long count(Category category) {
      return counts.get(category);
    }

    public long sourceCount() {
      return counts.entrySet().stream().filter(e -> e.getKey().onSource()).mapToLong(Map.Entry::getValue).sum();
    }

    public long targetCount() {
      return counts.entrySet().stream().filter(e -> e.getKey().onTarget()).mapToLong(Map.Entry::getValue).sum();
    }

    public long failures() {
      return counts.entrySet().stream().filter(e -> e.getKey().isFailure()).mapToLong(Map.Entry::getValue).sum();
    }
  }

  private final String mode;
  private final String sourceDescription;
  private final String targetDescription;
  private final Instant started;
  private final Map<String, IndexResult> indices = new TreeMap<>();
  private final List<Comparison> differences = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private long convergedWhileSettling;
  private String settle;
  private long elapsedMillis;

  public ValidationReport(String mode, String sourceDescription, String targetDescription, Instant started) {
    this.mode = mode;
    this.sourceDescription = sourceDescription;
    this.targetDescription = targetDescription;
    this.started = started;
  }

  /** An index expected on the target: it appears in the report even when no document was found in it. */
  public void expectIndex(String index) {
    indices.computeIfAbsent(index, IndexResult::new);
  }

  public void count(String index, Category category, long n) {
    IndexResult result = indices.computeIfAbsent(index, IndexResult::new);
    result.counts.put(category, result.counts.get(category) + n);
  }

  public void difference(Comparison comparison) {
    differences.add(comparison);
  }

  public void note(String note) {
    notes.add(note);
  }

  /** After {@code --settle}: documents that converged are moved from their category to in-flight. */
  void settled(String duration, List<Comparison> before, List<Comparison> after) {
    settle = duration;
    differences.clear();
    for (int i = 0; i < before.size(); i++) {
      Comparison was = before.get(i);
      Comparison now = after.get(i);
      if (now.category() != was.category()) {
        count(was.index(), was.category(), -1);
        count(now.index(), now.category(), 1);
      }
      if (now.category() == Category.IN_FLIGHT) {
        convergedWhileSettling++;
      }
      if (now.category() != Category.EQUAL) {
        differences.add(now);
      }
    }
  }

  void finish(long elapsedMillis) {
    this.elapsedMillis = elapsedMillis;
    differences.sort(Comparator.comparing(Comparison::index).thenComparing(Comparison::id));
  }

  public Map<String, IndexResult> indices() {
    return indices;
  }

  /** Every difference found (in-flight ones included), sorted by index and id. */
  public List<Comparison> differences() {
    return differences;
  }

  public long total(Category category) {
    return indices.values().stream().mapToLong(r -> r.count(category)).sum();
  }

  public long compared() {
    return indices.values().stream().mapToLong(r -> r.counts.values().stream().mapToLong(Long::longValue).sum()).sum();
  }

  /** Why the run fails, in the order a person should read them; empty when it passes. */
  public List<String> failures() {
    List<String> reasons = new ArrayList<>();
    if (compared() == 0) {
      reasons.add("no document was compared at all: both sides are empty or nothing was selected; this is not a pass");
    }
    for (IndexResult r : indices.values()) {
      if (r.sourceCount() == 0 && r.targetCount() == 0) {
        reasons.add("index '" + r.index + "': no document on either side, so nothing was compared");
      } else if (r.failures() > 0) {
        List<String> parts = new ArrayList<>();
        for (Category c : Category.values()) {
          if (c.isFailure() && r.count(c) > 0) {
            parts.add(r.count(c) + " " + c.label());
          }
        }
        reasons.add("index '" + r.index + "': " + String.join(", ", parts));
      }
    }
    return reasons;
  }

  public boolean passed() {
    return failures().isEmpty();
  }

  public String verdict() {
    return passed() ? "pass" : "fail";
  }

  public String renderText(int maxDifferences) {
    StringBuilder out = new StringBuilder();
    out.append("validate ").append(mode).append(": ").append(sourceDescription).append(" -> ").append(targetDescription).append('\n');
    String format = "%-32s %10s %10s %10s %8s %8s %8s %8s %9s%n";
    out.append(String.format(format, "index", "source", "target", "equal", "missing", "unexpect", "differs", "routing", "in-flight"));
    for (IndexResult r : indices.values()) {
      out.append(String.format(format, r.index, r.sourceCount(), r.targetCount(), r.count(Category.EQUAL),
          r.count(Category.MISSING), r.count(Category.UNEXPECTED), r.count(Category.DIFFERS), r.count(Category.ROUTING),
          r.count(Category.IN_FLIGHT)));
    }
    int shown = 0;
    for (Comparison d : differences) {
      if (d.category() == Category.IN_FLIGHT) {
        continue;
      }
      if (shown++ == maxDifferences) {
        out.append("  ... and more (every difference is in the differences file or --output json)\n");
        break;
      }
      out.append("  ").append(String.format("%-10s", d.category().label())).append(' ').append(d.index()).append('/')
          .append(d.id()).append(describe(d)).append('\n');
    }
    if (settle != null) {
      out.append("settled for ").append(settle).append(": ").append(convergedWhileSettling)
          .append(" document(s) converged (in-flight)\n");
    }
    notes.forEach(n -> out.append("note: ").append(n).append('\n'));
    List<String> failures = failures();
    out.append(String.format("compared %d document(s) in %d index(es) in %.1f s%n", compared(), indices.size(), elapsedMillis / 1000.0));
    if (failures.isEmpty()) {
      out.append("verdict: PASS: the target holds exactly what the source holds\n");
    } else {
      out.append("verdict: FAIL\n");
      failures.forEach(f -> out.append("  - ").append(f).append('\n'));
    }
    return out.toString();
  }

  private static String describe(Comparison d) {
    switch (d.category()) {
      case ROUTING:
        return " (routing source=" + d.source().routing() + " target=" + d.target().routing() + ")";
      case DIFFERS:
        return " (source " + abbreviate(d.source().canonicalSource()) + " target " + abbreviate(d.target().canonicalSource()) + ")";
      default:
        return "";
    }
  }

  private static String abbreviate(String text) {
    return text == null ? "none" : text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  /** The JSON report: verdict, per-index counts, differences (at most {@code maxDifferences}; totals always exact). */
  public ObjectNode toJson(int maxDifferences) {
    ObjectNode root = Json.object();
    root.put("verdict", verdict());
    root.put("mode", mode);
    root.put("source", sourceDescription);
    root.put("target", targetDescription);
    root.put("started", started.toString());
    root.put("elapsed_ms", elapsedMillis);
    root.put("compared", compared());
    ObjectNode totals = root.putObject("totals");
    for (Category c : Category.values()) {
      totals.put(c.label(), total(c));
    }
    if (settle != null) {
      root.put("settle", settle);
      root.put("converged", convergedWhileSettling);
    }
    ArrayNode rows = root.putArray("indices");
    for (IndexResult r : indices.values()) {
      ObjectNode row = rows.addObject();
      row.put("index", r.index);
      row.put("source_count", r.sourceCount());
      row.put("target_count", r.targetCount());
      for (Category c : Category.values()) {
        row.put(c.label(), r.count(c));
      }
    }
    root.put("differences_total", differences.size());
    ArrayNode diffs = root.putArray("differences");
    differences.stream().limit(maxDifferences).forEach(d -> diffs.add(d.toJson()));
    ArrayNode reasons = root.putArray("failures");
    failures().forEach(reasons::add);
    ArrayNode notesNode = root.putArray("notes");
    notes.forEach(notesNode::add);
    return root;
  }

  /** One line per run for the history: time, verdict, counts. */
  public ObjectNode historyLine() {
    ObjectNode line = Json.object();
    line.put("time", started.toString());
    line.put("verdict", verdict());
    line.put("compared", compared());
    for (Category c : Category.values()) {
      line.put(c.label(), total(c));
    }
    return line;
  }

  /** Writes every difference as NDJSON, owner-only (documents may be confidential). */
  public void writeDifferences(Path file) throws IOException {
    try (OutputStream out = OwnerOnlyFiles.newOutputStream(file, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
      for (Comparison d : differences) {
        out.write((d.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  public String mode() {
    return mode;
  }

  public Instant started() {
    return started;
  }
}
