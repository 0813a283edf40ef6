package io.searchmigrate.snapshot.creation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Creates snapshots on a source cluster and follows them: registers a filesystem repository (its folder must be
 * under the source's {@code path.repo}) or an S3 repository (the source needs the repository-s3 plugin), starts a
 * snapshot, reports progress until it ends.
 *
 * <pre>{@code
 * SnapshotCreator creator = new SnapshotCreator(ClusterClient.connect(source), "migration");
 * creator.registerFilesystemRepository("/data/snapshots/migration");
 * creator.create("snap-1", List.of("orders", "customers"));
 * SnapshotProgress done = creator.waitFor("snap-1", Duration.ofSeconds(2), p -> System.out.println(p.describe()));
 * }</pre>
 */
public final class SnapshotCreator {
  private final ClusterClient source;
  private final String repository;

  public SnapshotCreator(ClusterClient source, String repository) {
    this.source = source;
    this.repository = repository;
  }

  public String repository() {
    return repository;
  }

  /** Registers (or re-registers, idempotently) a filesystem repository at {@code location}. */
  public void registerFilesystemRepository(String location) {
    ObjectNode body = Json.object().put("type", "fs");
    body.putObject("settings").put("location", location);
    ClusterResponse response = source.putJson("/_snapshot/" + ClusterClient.segment(repository), body);
    if (response.isSuccess()) {
      return;
    }
    String reason = response.errorReason();
    if (reason.contains("path.repo") || reason.contains("doesn't match any of the locations")) {
      throw new UserError("the source refused the repository location " + location + ": it is not under the source's "
          + "path.repo setting. Pick a folder under path.repo (" + pathRepo() + "), or add this one to path.repo on every "
          + "node and restart. The source said: " + reason);
    }
    throw new UserError("the source could not register repository '" + repository + "' at " + location + " (HTTP "
        + response.status() + "): " + reason);
  }

  /**
   * Registers (or re-registers) an S3 repository at {@code s3://bucket/base_path}, for sources with the
   * {@code repository-s3} plugin. With an endpoint (an S3-compatible store) the S3 client settings the plugin also takes
   * per repository are sent too: endpoint, protocol and path-style access. Credentials are never sent: the source reads
   * its own (keystore {@code s3.client.default.access_key}/{@code secret_key}, or its instance role).
   */
  public void registerS3Repository(S3Uri location, S3Access access) {
    ObjectNode body = Json.object().put("type", "s3");
    ObjectNode settings = body.putObject("settings").put("bucket", location.bucket());
    if (!location.prefix().isEmpty()) {
      settings.put("base_path", location.prefix());
    }
    if (access.region() != null) {
      settings.put("region", access.region());
    }
    if (access.endpoint() != null) {
      URI endpoint = URI.create(access.endpoint());
      settings.put("endpoint", endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : ""))
          .put("protocol", endpoint.getScheme().toLowerCase(java.util.Locale.ROOT)).put("path_style_access", true);
    }
    ClusterResponse response = source.putJson("/_snapshot/" + ClusterClient.segment(repository), body);
    if (response.isSuccess()) {
      return;
    }
    String reason = response.errorReason();
    if (reason.contains("type [s3] does not exist")) {
      throw new UserError("the source cannot write to S3: it has no repository-s3 plugin (it said: " + reason + "). Install "
          + "it on every node (bin/elasticsearch-plugin install repository-s3, or bin/opensearch-plugin install "
          + "repository-s3), give the nodes S3 credentials (keystore s3.client.default.access_key and secret_key, or an "
          + "instance role) and restart them; or snapshot to a filesystem repository with --repo-path and copy it to "
          + location + " (a repository is plain files; --repo " + location + " reads it there)");
    }
    throw new UserError("the source could not register S3 repository '" + repository + "' at " + location + " (HTTP "
        + response.status() + "): " + reason);
  }

  private String pathRepo() {
    try {
      JsonNode nodes = source.getJson("/_nodes/settings?filter_path=nodes.*.settings.path.repo");
      // every node lists its own: once each, sorted
      Set<String> locations = new TreeSet<>();
      nodes.path("nodes").elements().forEachRemaining(n -> {
        JsonNode repo = n.path("settings").path("path").path("repo");
        if (repo.isArray()) {
          repo.forEach(r -> locations.add(r.asText()));
        } else if (!repo.isMissingNode()) {
          locations.add(repo.asText());
        }
      });
      return locations.isEmpty() ? "not set on the source" : "the source has " + String.join(", ", locations);
    } catch (RuntimeException e) {
      return "could not be read";
    }
  }

  /**
   * Starts a snapshot of the given indices (all when empty) with the cluster's global state (templates).
   */
  public void create(String snapshot, List<String> indices) {
    ObjectNode body = Json.object().put("include_global_state", true).put("ignore_unavailable", false);
    if (!indices.isEmpty()) {
      body.put("indices", String.join(",", indices));
    }
    ClusterResponse response = source.putJson(path(snapshot), body);
    if (response.isSuccess()) {
      return;
    }
    String type = response.errorType();
    String reason = response.errorReason();
    if (type.contains("invalid_snapshot_name") && reason.contains("already exists")) {
      throw new UserError("snapshot '" + snapshot + "' already exists in repository '" + repository
          + "'; choose another name, or delete it on the source (DELETE _snapshot/" + repository + "/" + snapshot + ")");
    }
    if (type.contains("repository_missing")) {
      throw new UserError("repository '" + repository + "' is not registered on the source; register it first (pass --repo-path)");
    }
    if (type.contains("index_not_found")) {
      throw new UserError("the source has no index matching " + indices + ": " + reason);
    }
    throw new UserError("the source refused snapshot '" + snapshot + "' (HTTP " + response.status() + "): " + reason);
  }

  /** The snapshot's current progress. */
  public SnapshotProgress status(String snapshot) {
    ClusterResponse response = source.get(path(snapshot) + "/_status");
    if (!response.isSuccess()) {
      String type = response.errorType();
      if (type.contains("repository_missing")) {
        throw new UserError("repository '" + repository + "' is not registered on the source; registered repositories: "
            + repositories());
      }
      if (type.contains("snapshot_missing") || response.status() == 404) {
        throw new UserError("snapshot '" + snapshot + "' not found in repository '" + repository + "'; snapshots there: "
            + snapshots());
      }
      throw new UserError("cannot read the status of snapshot '" + snapshot + "' (HTTP " + response.status() + "): "
          + response.errorReason());
    }
    JsonNode entry = response.json().path("snapshots").path(0);
    if (entry.isMissingNode()) {
      throw new UserError("snapshot '" + snapshot + "' not found in repository '" + repository + "'; snapshots there: " + snapshots());
    }
    return SnapshotProgress.fromStatus(entry);
  }

  /**
   * Polls until the snapshot ends, handing each progress to {@code onProgress}. Throws when it ends in anything
   * but SUCCESS, with the source's shard failures.
   */
  public SnapshotProgress waitFor(String snapshot, Duration pollEvery, Consumer<SnapshotProgress> onProgress) {
    while (true) {
      SnapshotProgress progress = status(snapshot);
      onProgress.accept(progress);
      // shards report SUCCESS before the source has written the snapshot's files and the repository's index-N:
      // the snapshot is readable only once it has left the cluster's snapshots in progress
      if (progress.isFinished() && !inProgress(snapshot)) {
        if (!"SUCCESS".equals(progress.state())) {
          throw new UserError("snapshot '" + snapshot + "' ended " + progress.state() + ": " + failures(snapshot));
        }
        return progress;
      }
      try {
        Thread.sleep(pollEvery.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted while waiting for snapshot '" + snapshot + "'");
      }
    }
  }

  /** Whether the source still lists the snapshot among those in progress (its files not all written yet). */
  boolean inProgress(String snapshot) {
    ClusterResponse response = source.get("/_snapshot/_status");
    if (!response.isSuccess()) {
      return false;
    }
    for (JsonNode running : response.json().path("snapshots")) {
      if (running.path("snapshot").asText().equals(snapshot) && running.path("repository").asText().equals(repository)) {
        return true;
      }
    }
    return false;
  }

  /** Names of the snapshots in the repository, in the order the source lists them (oldest first). */
  public List<String> snapshots() {
    List<String> names = new ArrayList<>();
    ClusterResponse response = source.get("/_snapshot/" + ClusterClient.segment(repository) + "/_all");
    if (response.isSuccess()) {
      response.json().path("snapshots").forEach(s -> names.add(s.path("snapshot").asText()));
    }
    return names;
  }

  /** The repository's registration on the source ({@code {"type":..,"settings":{..}}}), or null when it is not registered. */
  public JsonNode registration() {
    ClusterResponse response = source.get("/_snapshot/" + ClusterClient.segment(repository));
    if (response.status() == 404) {
      return null;
    }
    if (!response.isSuccess()) {
      throw new UserError("the source did not say whether repository '" + repository + "' is registered (HTTP "
          + response.status() + "): " + response.errorReason());
    }
    return response.json().path(repository);
  }

  /** Deletes a snapshot from the repository (the source removes the files no other snapshot shares). */
  public void delete(String snapshot) {
    ClusterResponse response = source.delete(path(snapshot));
    if (!response.isSuccess()) {
      throw new UserError("the source did not delete snapshot '" + snapshot + "' from repository '" + repository + "' (HTTP "
          + response.status() + "): " + response.errorReason());
    }
  }

  /** Removes the repository's registration from the source; the files in the repository stay where they are. */
  public void unregister() {
    ClusterResponse response = source.delete("/_snapshot/" + ClusterClient.segment(repository));
    if (!response.isSuccess()) {
      throw new UserError("the source did not remove repository registration '" + repository + "' (HTTP "
          + response.status() + "): " + response.errorReason());
    }
  }

  /** Sorted: the source answers in its hash map's order, which differs between calls. */
  private List<String> repositories() {
    List<String> names = new ArrayList<>();
    ClusterResponse response = source.get("/_snapshot");
    if (response.isSuccess()) {
      response.json().fieldNames().forEachRemaining(names::add);
    }
    names.sort(null);
    return names;
  }

  private String failures(String snapshot) {
    ClusterResponse response = source.get(path(snapshot));
    if (!response.isSuccess()) {
      return response.errorReason();
    }
    JsonNode failures = response.json().path("snapshots").path(0).path("failures");
    return failures.size() == 0 ? "no shard failures reported" : Json.toString(failures);
  }

  private String path(String snapshot) {
    return "/_snapshot/" + ClusterClient.segment(repository) + "/" + ClusterClient.segment(snapshot);
  }
}
