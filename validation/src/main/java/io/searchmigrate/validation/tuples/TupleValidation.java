package io.searchmigrate.validation.tuples;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * {@code validate tuples}: reads the replay's tuple files, learns noise from the requests the target answered twice,
 * then compares every tuple.
 *
 * <pre>{@code
 * TupleReport report = new TupleValidation(List.of("hits.max_score")).run(Path.of("tuples"));
 * }</pre>
 *
 * <p>Files are {@code *.ndjson} and {@code *.ndjson.gz} in the folder and below (except the replay's {@code
 * dead-letters} folder, whose lines are records that were never replayed), read in name order; each line is one
 * tuple ({@code connection}, {@code request_index}, {@code timestamp}, {@code source_request}, {@code
 * source_response}, {@code target_request}, {@code target_response}, {@code status_match}, and, for sampled reads,
 * {@code target_response_repeat}: a second answer of the target to the same request). A line that is not JSON is
 * counted and named in the report, never skipped silently.
 */
public final class TupleValidation {
  /** The folder under {@code --tuples} where the replay writes what it could not replay. */
  static final String DEAD_LETTERS = "dead-letters";

  private final TupleComparison comparison;

  public TupleValidation(List<String> extraIgnored) {
    List<String> ignored = new ArrayList<>(TupleComparison.DEFAULT_IGNORED);
    ignored.addAll(extraIgnored);
    this.comparison = new TupleComparison(ignored);
  }

  public TupleReport run(Path folder) throws IOException {
    List<Path> files = files(folder);
    Map<String, Set<String>> noise = new TreeMap<>();
    List<String> unreadable = new ArrayList<>();
    forEachTuple(files, unreadable, tuple -> {
      List<String> paths = comparison.noiseOf(tuple);
      if (!paths.isEmpty()) {
        noise.computeIfAbsent(TupleComparison.key(tuple), k -> new TreeSet<>()).addAll(paths);
      }
    });
    TupleReport report = new TupleReport(folder, files.size(), noise);
    unreadable.forEach(report::unreadable);
    forEachTuple(files, new ArrayList<>(), tuple -> report.add(comparison.compare(tuple, noise)));
    report.finish();
    return report;
  }

  static List<Path> files(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new UserError("--in " + folder + " is not a folder; expected the folder the replay wrote its tuple files to "
          + "(*.ndjson or *.ndjson.gz)");
    }
    try (Stream<Path> all = Files.walk(folder)) {
      List<Path> files = all.filter(Files::isRegularFile)
          .filter(p -> !folder.relativize(p).toString().startsWith(DEAD_LETTERS + "/"))
          .filter(p -> p.getFileName().toString().endsWith(".ndjson") || p.getFileName().toString().endsWith(".ndjson.gz"))
          .sorted().toList();
      if (files.isEmpty()) {
        throw new UserError("no tuple files (*.ndjson, *.ndjson.gz) in " + folder + "; run the replay first, or point "
            + "--in at the folder it writes to");
      }
      return files;
    }
  }

  private static void forEachTuple(List<Path> files, List<String> unreadable, Consumer<JsonNode> action) throws IOException {
    for (Path file : files) {
      try (InputStream raw = Files.newInputStream(file);
           InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
           BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          JsonNode tuple;
          try {
            tuple = Json.parse(line);
            if (!tuple.path("source_request").isObject()) {
              throw new IllegalArgumentException("no source_request");
            }
          } catch (RuntimeException e) {
            unreadable.add(file.getFileName() + ":" + number);
            continue;
          }
          action.accept(tuple);
        }
      }
    }
  }
}
