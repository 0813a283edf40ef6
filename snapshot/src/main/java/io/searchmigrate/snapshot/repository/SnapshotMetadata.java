package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.SourceMetadata;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot's metadata as a migration source: the templates of its global state (legacy, index and component
 * templates) and its indices' definitions.
 *
 * <pre>{@code
 * SourceMetadata source = SnapshotMetadata.of(repository, "snap-1");
 * }</pre>
 */
public final class SnapshotMetadata implements SourceMetadata {
  private final SnapshotRepository repository;
  private final RepositoryData.SnapshotEntry snapshot;
  private final SnapshotInfo info;
  private List<TemplateMetadata> templates;

  private SnapshotMetadata(SnapshotRepository repository, RepositoryData.SnapshotEntry snapshot) {
    this.repository = repository;
    this.snapshot = snapshot;
    this.info = repository.snapshotInfo(snapshot);
  }

  public static SnapshotMetadata of(SnapshotRepository repository, String snapshotName) {
    return new SnapshotMetadata(repository, repository.snapshot(snapshotName));
  }

  @Override
  public String description() {
    return "snapshot '" + snapshot.name() + "' in " + repository.blobs().describe("") + " (written by " + info.versionLabel() + ")";
  }

  @Override
  public ClusterVersion version() {
    return info.version();
  }

  public SnapshotInfo info() {
    return info;
  }

  @Override
  public synchronized List<TemplateMetadata> templates() {
    if (templates == null) {
      templates = parseTemplates(repository.globalMetadata(snapshot), repository.blobs().describe("meta-" + snapshot.uuid() + ".dat"));
    }
    return templates;
  }

  static List<TemplateMetadata> parseTemplates(JsonNode global, String where) {
    JsonNode root = global.has("meta-data") ? global.path("meta-data") : global;
    List<TemplateMetadata> list = new ArrayList<>();
    root.path("templates").fields().forEachRemaining(e -> list.add(TemplateMetadata.fromBody(TemplateMetadata.Kind.LEGACY,
        e.getKey(), e.getValue(), v -> CompressedXContent.decode(v, where))));
    // 7.x+ nest these twice on disk: {"index_template": {"index_template": {...}}}
    JsonNode index = root.path("index_template");
    index = index.has("index_template") ? index.path("index_template") : index;
    index.fields().forEachRemaining(e -> list.add(TemplateMetadata.fromBody(TemplateMetadata.Kind.INDEX, e.getKey(),
        e.getValue(), v -> CompressedXContent.decode(v, where))));
    JsonNode component = root.path("component_template");
    component = component.has("component_template") ? component.path("component_template") : component;
    component.fields().forEachRemaining(e -> list.add(TemplateMetadata.fromBody(TemplateMetadata.Kind.COMPONENT, e.getKey(),
        e.getValue(), v -> CompressedXContent.decode(v, where))));
    return list;
  }

  @Override
  public List<String> indexNames() {
    return repository.indices(snapshot);
  }

  @Override
  public List<String> indexNames(Selection selection) {
    return repository.indices(snapshot, selection);
  }

  @Override
  public IndexMetadata index(String name) {
    return repository.indexMetadata(snapshot, name);
  }
}
