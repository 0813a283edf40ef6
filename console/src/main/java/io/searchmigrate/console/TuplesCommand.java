package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.ndjson.NdjsonParts;
import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reads the replay's tuples ({@code .ndjson} and rotated {@code .ndjson.gz} files) for people and scripts. */
@Command(name = "tuples", description = "Show the replay's tuples: how the target answered each captured request.",
    subcommands = {TuplesCommand.Show.class})
final class TuplesCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "show", description = "Print the tuples in capture order and a summary: status matches, mismatches by "
      + "method and path pattern, latency of the source and the target.")
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "DIR", description = "the replay's --tuples folder, or its "
        + "s3://bucket/prefix (with --s3-region/--s3-endpoint)")
    String in;

    @Mixin
    S3Flags s3;

    @Option(names = "--output", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    String output;

    @Option(names = "--only-mismatches", description = "list only the requests whose statuses differ")
    boolean onlyMismatches;

    @Override
    public Integer call() {
      if (!output.equals("text") && !output.equals("json")) {
        throw new UserError("--output takes text or json, not '" + output + "'");
      }
      List<JsonNode> tuples = read(in, s3.access());
      Summary summary = Summary.of(tuples);
      List<JsonNode> shown = tuples.stream().filter(t -> !onlyMismatches || !t.path("status_match").asBoolean()).toList();
      PrintWriter out = spec.commandLine().getOut();
      if (output.equals("json")) {
        ObjectNode json = summary.toJson();
        json.putArray("tuples").addAll(shown);
        out.println(Json.toString(json));
      } else {
        shown.forEach(t -> out.println(line(t)));
        out.print(summary.render());
      }
      out.flush();
      return 0;
    }
  }

  /**
   * Every tuple in the folder's files (or the objects under an {@code s3://} prefix), in capture order (time, then
   * connection and request index).
   */
  static List<JsonNode> read(String location, S3Access s3) {
    if (!S3Uri.isS3(location) && !Files.isDirectory(Path.of(location))) {
      throw new UserError(location + " is not a folder; give the folder the replay wrote its tuples to (--tuples)");
    }
    String dir = S3Uri.isS3(location) ? location : Path.of(location).toAbsolutePath().toString();
    List<JsonNode> tuples = new ArrayList<>();
    try {
      for (NdjsonParts.Part file : NdjsonParts.list(dir, s3, false)) {
        try (BufferedReader reader = file.open()) {
          int n = 0;
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            n++;
            if (line.isBlank()) {
              continue;
            }
            try {
              tuples.add(Json.parse(line));
            } catch (RuntimeException e) {
              throw new UserError(file.name() + " line " + n + " is not a tuple (JSON): " + e.getMessage());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UserError("cannot read the tuples in " + dir + ": " + e.getMessage());
    }
    tuples.sort(Comparator.comparing((JsonNode t) -> t.path("timestamp").asText())
        .thenComparing(t -> t.path("connection").asText()).thenComparingInt(t -> t.path("request_index").asInt()));
    return tuples;
  }

  static String line(JsonNode t) {
    JsonNode source = t.path("source_request");
    return String.format(Locale.ROOT, "%s %s#%d %s %s → source %d, target %s%s%s", t.path("timestamp").asText(),
        t.path("connection").asText(), t.path("request_index").asInt(), source.path("method").asText(),
        source.path("path").asText(), t.path("source_response").path("status").asInt(), targetStatuses(t),
        t.path("rewrites").isEmpty() ? "" : " (rewrites: " + String.join(", ", texts(t.path("rewrites"))) + ")",
        t.path("status_match").asBoolean() ? "" : "  MISMATCH");
  }

  private static String targetStatuses(JsonNode t) {
    JsonNode target = t.path("target_response");
    if (target.isArray()) {
      List<String> statuses = new ArrayList<>();
      target.forEach(r -> statuses.add(r.path("status").asText()));
      return statuses.isEmpty() ? "(not sent)" : String.join("+", statuses);
    }
    return target.isMissingNode() || target.isNull() ? "(not sent)" : target.path("status").asText();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(v -> texts.add(v.asText()));
    return texts;
  }

  /** {@code PUT /books/_doc/17?refresh=true} → {@code PUT /{index}/_doc/{id}}: requests grouped by what they do. */
  static String pattern(String method, String path) {
    String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    List<String> parts = new ArrayList<>();
    String[] segments = p.split("/");
    int position = 0;
    for (String segment : segments) {
      if (segment.isEmpty()) {
        continue;
      }
      parts.add(segment.startsWith("_") ? segment : position == 0 ? "{index}" : "{id}");
      position++;
    }
    return method + " /" + String.join("/", parts);
  }

  /** Counts and latencies over all tuples. */
  record Summary(int requests, int matches, Map<String, Integer> mismatchesByPattern, List<Double> sourceMillis,
      List<Double> targetMillis) {
    static Summary of(List<JsonNode> tuples) {
      int matches = 0;
      Map<String, Integer> byPattern = new TreeMap<>();
      List<Double> source = new ArrayList<>();
      List<Double> target = new ArrayList<>();
      for (JsonNode t : tuples) {
        if (t.path("status_match").asBoolean()) {
          matches++;
        } else {
          byPattern.merge(pattern(t.path("source_request").path("method").asText(), t.path("source_request").path("path").asText()),
              1, Integer::sum);
        }
        source.add(t.path("source_response").path("latency_ms").asDouble());
        JsonNode answered = t.path("target_response");
        double total = 0;
        for (JsonNode r : answered.isArray() ? answered : List.of(answered)) {
          total += r.path("latency_ms").asDouble();
        }
        target.add(total);
      }
      source.sort(null);
      target.sort(null);
      return new Summary(tuples.size(), matches, byPattern, source, target);
    }

    static double percentile(List<Double> sorted, double p) {
      return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    String render() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "%d request(s): %d status match(es), %d mismatch(es)%n", requests, matches,
          requests - matches));
      if (!mismatchesByPattern.isEmpty()) {
        out.append("mismatches by method and path:\n");
        mismatchesByPattern.forEach((pattern, n) -> out.append(String.format(Locale.ROOT, "  %-48s %d%n", pattern, n)));
      }
      if (requests > 0) {
        out.append(String.format(Locale.ROOT, "latency ms, source → target: p50 %.1f → %.1f, p95 %.1f → %.1f%n",
            percentile(sourceMillis, 0.5), percentile(targetMillis, 0.5), percentile(sourceMillis, 0.95),
            percentile(targetMillis, 0.95)));
      }
      return out.toString();
    }

    ObjectNode toJson() {
      ObjectNode json = Json.object().put("requests", requests).put("status_matches", matches).put("mismatches", requests - matches);
      ObjectNode patterns = json.putObject("mismatches_by_pattern");
      mismatchesByPattern.forEach(patterns::put);
      ObjectNode latency = json.putObject("latency_ms");
      latency.putObject("source").put("p50", percentile(sourceMillis, 0.5)).put("p95", percentile(sourceMillis, 0.95));
      latency.putObject("target").put("p50", percentile(targetMillis, 0.5)).put("p95", percentile(targetMillis, 0.95));
      return json;
    }
  }
}
