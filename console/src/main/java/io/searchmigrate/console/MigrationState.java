package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.ProcessSupervisor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The migration's own state folder ({@code state_dir}, default {@code $MIGRATE_HOME/state}) and its ledger of what
 * the migration created outside this machine (repository registrations and snapshots on the source), so that
 * {@code reset} removes exactly those and nothing a team made by other means.
 *
 * <pre>{@code
 * MigrationState state = MigrationState.of(config);
 * state.recordSnapshot("http://source:9200", "migration_repo", "snap-1");
 * state.created();   // one JSON object per thing created, oldest first, without repeats
 * }</pre>
 */
final class MigrationState {
  static final String LEDGER = "created.ndjson";

  private final Path dir;

  private MigrationState(Path dir) {
    this.dir = dir;
  }

  /** The configured state_dir (or --state-dir), else {@code <MIGRATE_HOME>/state}. */
  static MigrationState of(Path configured) {
    return new MigrationState(configured != null ? configured : ProcessSupervisor.defaultHome().resolve("state"));
  }

  static MigrationState of(MigrationConfig config) {
    String configured = config.get("state_dir");
    return of(configured == null ? null : Path.of(configured));
  }

  Path dir() {
    return dir;
  }

  Path ledger() {
    return dir.resolve(LEDGER);
  }

  void recordRepository(String cluster, String repository, String location) {
    append(Json.object().put("kind", "repository").put("cluster", cluster).put("name", repository).put("location", location));
  }

  void recordSnapshot(String cluster, String repository, String snapshot) {
    append(Json.object().put("kind", "snapshot").put("cluster", cluster).put("repository", repository).put("name", snapshot));
  }

  /** Every entry of the ledger once, in the order first recorded. */
  List<JsonNode> created() {
    if (!Files.isRegularFile(ledger())) {
      return List.of();
    }
    Set<String> lines;
    try {
      lines = new LinkedHashSet<>(Files.readAllLines(ledger()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<JsonNode> entries = new ArrayList<>();
    for (String line : lines) {
      if (!line.isBlank()) {
        entries.add(Json.parse(line));
      }
    }
    return entries;
  }

  private void append(ObjectNode entry) {
    try {
      OwnerOnlyFiles.createDirectory(dir);
      try (OutputStream out = OwnerOnlyFiles.newOutputStream(ledger(), StandardOpenOption.APPEND)) {
        out.write((Json.toString(entry) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record in " + ledger() + " what the migration created: " + e.getMessage(), e);
    }
  }
}
