package io.searchmigrate.transforms.metadata;

import io.searchmigrate.common.version.ClusterVersion;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Index settings a source accepted that the target version no longer knows, and refuses: an index or template
 * carrying one could not be created at all. Each is dropped, and said so, only for the targets that refuse it
 * (each checked on real clusters: Elasticsearch 6.8.23 and 7.10.2, OpenSearch 1.3.20, 2.19.1 and 3.1.0).
 */
final class DropRemovedSettings implements MetadataTransformation {
  /** A setting, the first OpenSearch version that refuses it, and what a user should know about it. */
  record Removed(String key, int major, int minor, String why) {
    boolean refusedBy(ClusterVersion target) {
      return target.isAtLeast(ClusterVersion.Flavor.OPENSEARCH, major, minor);
    }
  }

  static final List<Removed> REMOVED = List.of(
      new Removed("index.optimize_auto_generated_id", 1, 0, "removed in Elasticsearch 7.0, so OpenSearch never had it"),
      new Removed("index.merge.policy.max_merge_at_once_explicit", 2, 0,
          "removed with Lucene 9 in OpenSearch 2.0"),
      new Removed("index.store.hybrid.mmap.extensions", 3, 0,
          "removed in OpenSearch 3.0, which takes index.store.hybrid.nio.extensions instead: the files not memory-mapped"));

  /** The removed settings among these keys (flat, lists collapsed) that this target refuses. */
  static List<String> refused(Iterator<String> keys, ClusterVersion target) {
    List<String> found = new ArrayList<>();
    keys.forEachRemaining(key -> removed(key, target).ifPresent(r -> found.add(r.key())));
    return found;
  }

  private static Optional<Removed> removed(String key, ClusterVersion target) {
    String full = key.startsWith("index.") ? key : "index." + key; // a template given by hand may leave the prefix out
    return REMOVED.stream().filter(r -> r.key().equals(full) && r.refusedBy(target)).findFirst();
  }

  @Override
  public String name() {
    return "drop-removed-settings";
  }

  @Override
  public String description() {
    return "drops index settings the target version removed and would refuse (index.optimize_auto_generated_id; "
        + "index.merge.policy.max_merge_at_once_explicit from OpenSearch 2.0; index.store.hybrid.mmap.extensions from 3.0)";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return REMOVED.stream().anyMatch(r -> r.refusedBy(context.target()));
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    for (Iterator<String> keys = d.settings().fieldNames(); keys.hasNext();) {
      String key = keys.next();
      removed(key, context.target()).ifPresent(r -> {
        keys.remove();
        d.changed(name(), "not sent: " + r.key() + " (" + r.why() + ")");
      });
    }
  }
}
