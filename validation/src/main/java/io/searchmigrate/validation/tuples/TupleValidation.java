package io.searchmigrate.validation.tuples;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.ndjson.NdjsonParts;
import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code validate tuples}: reads the replay's tuple files, learns noise from the requests the target answered twice,
 * then compares every tuple.
 *
 * <pre>{@code
 * TupleReport report = new TupleValidation(List.of("hits.max_score")).run(Path.of("tuples"));
 * }</pre>
 *
 * <p>Files are {@code *.ndjson} and {@code *.ndjson.gz} in the folder and below (or the objects directly under an
 * {@code s3://} prefix, see {@link NdjsonParts}), except the replay's {@code dead-letters} folder (records that were
 * never replayed), read in name order; each line is one
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
    return run(folder.toString(), S3Access.defaults());
  }

  /** The tuples in a folder, or under {@code s3://bucket/prefix} (directly under it) reached as {@code s3} says. */
  public TupleReport run(String location, S3Access s3) throws IOException {
    List<NdjsonParts.Part> files = files(location, s3);
    Map<String, Set<String>> noise = new TreeMap<>();
    List<String> unreadable = new ArrayList<>();
    forEachTuple(files, unreadable, tuple -> {
      List<String> paths = comparison.noiseOf(tuple);
      if (!paths.isEmpty()) {
        noise.computeIfAbsent(TupleComparison.key(tuple), k -> new TreeSet<>()).addAll(paths);
      }
    });
    TupleReport report = new TupleReport(location, files.size(), noise);
    unreadable.forEach(report::unreadable);
    forEachTuple(files, new ArrayList<>(), tuple -> report.add(comparison.compare(tuple, noise)));
    report.finish();
    return report;
  }

  static List<NdjsonParts.Part> files(String location, S3Access s3) throws IOException {
    boolean inS3 = S3Uri.isS3(location);
    if (!inS3 && !Files.isDirectory(Path.of(location))) {
      throw new UserError("--in " + location + " is not a folder; expected the folder the replay wrote its tuple files to "
          + "(*.ndjson or *.ndjson.gz)");
    }
    List<NdjsonParts.Part> files = NdjsonParts.list(location, s3, !inS3).stream()
        .filter(part -> !part.name().startsWith(DEAD_LETTERS + "/")).toList();
    if (files.isEmpty()) {
      throw new UserError("no tuple files (*.ndjson, *.ndjson.gz) in " + location + "; run the replay first, or point "
          + "--in at the folder it writes to");
    }
    return files;
  }

  private static void forEachTuple(List<NdjsonParts.Part> files, List<String> unreadable, Consumer<JsonNode> action)
      throws IOException {
    for (NdjsonParts.Part file : files) {
      try (BufferedReader reader = file.open()) {
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
            unreadable.add(file.name() + ":" + number);
            continue;
          }
          action.accept(tuple);
        }
      }
    }
  }
}
