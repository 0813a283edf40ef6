package io.searchmigrate.validation.tuples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.validation.ReportFiles;
import io.searchmigrate.validation.ValidationHtml;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The outcome of {@code validate tuples}: per request pattern ({@code GET /{index}/_search}) the tuples in each
 * category, the noise learned, and every failing tuple. No tuple at all, an unreadable line or any failing tuple
 * fails the run.
 */
public final class TupleReport {
  private final String folder;
  private final int files;
  private final Map<String, Set<String>> noise;
  private final Map<String, Map<TupleComparison.Category, Long>> byPattern = new TreeMap<>();
  private final List<TupleComparison.Result> differences = new ArrayList<>();
  private final List<String> unreadable = new ArrayList<>();

  TupleReport(String folder, int files, Map<String, Set<String>> noise) {
    this.folder = folder;
    this.files = files;
    this.noise = noise;
  }

  void add(TupleComparison.Result result) {
    byPattern.computeIfAbsent(result.method + " " + result.pattern, k -> new EnumMap<>(TupleComparison.Category.class))
        .merge(result.category, 1L, Long::sum);
    if (result.category != TupleComparison.Category.MATCH) {
      differences.add(result);
    }
  }

  void unreadable(String where) {
    unreadable.add(where);
  }

  void finish() {
    differences.sort(Comparator.comparing((TupleComparison.Result r) -> r.connection).thenComparingLong(r -> r.requestIndex));
  }

  public long total() {
    return byPattern.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
  }

  public long count(TupleComparison.Category category) {
    return byPattern.values().stream().mapToLong(m -> m.getOrDefault(category, 0L)).sum();
  }

  /** Failing tuples and noise, sorted by connection and request index. */
  public List<TupleComparison.Result> differences() {
    return differences;
  }

  public Map<String, Set<String>> noise() {
    return noise;
  }

  public List<String> failures() {
    List<String> reasons = new ArrayList<>();
    if (total() == 0) {
      reasons.add("no tuple was compared: the files in " + folder + " hold none");
    }
    if (!unreadable.isEmpty()) {
      reasons.add(unreadable.size() + " line(s) are not JSON tuples: " + unreadable.subList(0, Math.min(10, unreadable.size())));
    }
    long failing = differences.stream().filter(r -> r.category.isFailure()).count();
    if (failing > 0) {
      reasons.add(failing + " of " + total() + " tuple(s) answered differently on the target");
    }
    return reasons;
  }

  public boolean passed() {
    return failures().isEmpty();
  }

  public String renderText(int maxDifferences) {
    StringBuilder out = new StringBuilder("validate tuples: " + total() + " tuple(s) in " + files + " file(s) under " + folder + "\n");
    String format = "%-40s %7s %7s %7s %7s %7s %7s %7s %7s %7s%n";
    out.append(String.format(format, "request", "match", "status", "hits", "hit-ids", "aggs", "write", "body", "noise",
        "applied"));
    byPattern.forEach((pattern, counts) -> out.append(String.format(format, pattern,
        counts.getOrDefault(TupleComparison.Category.MATCH, 0L), counts.getOrDefault(TupleComparison.Category.STATUS, 0L),
        counts.getOrDefault(TupleComparison.Category.HITS_TOTAL, 0L), counts.getOrDefault(TupleComparison.Category.HIT_IDS, 0L),
        counts.getOrDefault(TupleComparison.Category.AGGREGATIONS, 0L),
        counts.getOrDefault(TupleComparison.Category.WRITE_RESULT, 0L), counts.getOrDefault(TupleComparison.Category.BODY, 0L),
        counts.getOrDefault(TupleComparison.Category.NOISE, 0L),
        counts.getOrDefault(TupleComparison.Category.ALREADY_APPLIED, 0L))));
    differences.stream().filter(r -> r.category.isFailure()).limit(maxDifferences).forEach(r -> out.append("  ")
        .append(String.format("%-13s", r.category.label())).append(r.connection).append('#').append(r.requestIndex).append(' ')
        .append(r.method).append(' ').append(r.pattern).append(r.category == TupleComparison.Category.STATUS
            ? " (status " + r.sourceStatus + " -> " + r.targetStatus + ")" : " " + r.paths).append('\n'));
    noise.forEach((pattern, paths) -> out.append("noise learned for ").append(pattern).append(": ").append(paths).append('\n'));
    long reapplied = count(TupleComparison.Category.ALREADY_APPLIED);
    if (reapplied > 0) {
      out.append(reapplied).append(" write(s) the target already held (created -> updated, deleted -> not_found): the "
          + "backfilled snapshot already had them; not failures (column 'applied')\n");
    }
    List<String> failures = failures();
    out.append(failures.isEmpty() ? "verdict: PASS\n" : "verdict: FAIL\n");
    failures.forEach(f -> out.append("  - ").append(f).append('\n'));
    return out.toString();
  }

  public ObjectNode toJson(int maxDifferences) {
    ObjectNode root = Json.object();
    root.put("verdict", passed() ? "pass" : "fail");
    root.put("tuples", total());
    ObjectNode totals = root.putObject("totals");
    for (TupleComparison.Category c : TupleComparison.Category.values()) {
      totals.put(c.label(), count(c));
    }
    ArrayNode patterns = root.putArray("requests");
    byPattern.forEach((pattern, counts) -> {
      ObjectNode row = patterns.addObject().put("request", pattern);
      for (TupleComparison.Category c : TupleComparison.Category.values()) {
        row.put(c.label(), counts.getOrDefault(c, 0L));
      }
    });
    ObjectNode learned = root.putObject("noise");
    noise.forEach((pattern, paths) -> paths.forEach(learned.withArray(pattern)::add));
    root.put("differences_total", differences.size());
    ArrayNode diffs = root.putArray("differences");
    differences.stream().limit(maxDifferences).forEach(r -> diffs.add(r.toJson()));
    failures().forEach(root.putArray("failures")::add);
    return root;
  }

  /** The differences NDJSON (every failing or noisy tuple) and the HTML page (the text report) when asked. */
  public List<Path> write(ReportFiles files) throws IOException {
    List<Path> written = new ArrayList<>();
    Path file = files.differences();
    if (file != null) {
      try (OutputStream out = OwnerOnlyFiles.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
        for (TupleComparison.Result r : differences) {
          out.write((Json.toString(r.toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      written.add(file);
    }
    if (files.html() != null) {
      OwnerOnlyFiles.writeString(files.html(), "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>validate tuples: "
          + (passed() ? "pass" : "fail") + "</title></head><body><pre>"
          + ValidationHtml.esc(renderText(Integer.MAX_VALUE))
          + "</pre></body></html>\n");
      written.add(files.html());
    }
    return written;
  }
}
