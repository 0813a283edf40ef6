package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a report goes besides the terminal: the HTML page, the differences NDJSON and, for scheduled runs, a history
 * folder (one JSON report per run, {@code history.ndjson} with one line per run). Every file is owner-only: reports
 * quote documents.
 *
 * <pre>{@code
 * new ReportFiles(Path.of("report.html"), Path.of("differences.ndjson"), Path.of("history"), 100).write(report);
 * }</pre>
 */
public final class ReportFiles {
  private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
  private final Path html;
  private final Path differences;
  private final Path history;
  private final int maxDifferences;

  public ReportFiles(Path html, Path differences, Path history, int maxDifferences) {
    this.html = html;
    this.differences = differences;
    this.history = history;
    this.maxDifferences = maxDifferences;
  }

  /** The differences file asked for, or null. */
  public Path differences() {
    return differences;
  }

  /** The HTML page asked for, or null. */
  public Path html() {
    return html;
  }

  /** Writes every file asked for; returns the paths written, for the closing lines. */
  public List<Path> write(ValidationReport report) throws IOException {
    List<Path> written = new ArrayList<>();
    List<JsonNode> runs = new ArrayList<>();
    if (history != null) {
      OwnerOnlyFiles.createDirectory(history);
      Path report1 = history.resolve("validate-" + report.mode() + "-" + RUN_NAME.format(report.started()) + ".json");
      OwnerOnlyFiles.writeString(report1, Json.toPrettyString(report.toJson(Integer.MAX_VALUE)) + "\n");
      Path lines = history.resolve("history.ndjson");
      try (OutputStream out = OwnerOnlyFiles.newOutputStream(lines, StandardOpenOption.APPEND)) {
        out.write((Json.toString(report.historyLine()) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      for (String line : Files.readAllLines(lines)) {
        if (!line.isBlank()) {
          runs.add(Json.parse(line));
        }
      }
      written.add(report1);
      written.add(lines);
    }
    if (differences != null) {
      report.writeDifferences(differences);
      written.add(differences);
    }
    if (html != null) {
      OwnerOnlyFiles.writeString(html, ValidationHtml.render(report, maxDifferences, runs));
      written.add(html);
    }
    return written;
  }
}
