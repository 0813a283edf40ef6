package io.searchmigrate.common.metadata;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.version.ClusterVersion;
import java.util.List;

/**
 * The metadata of a source, wherever it comes from (a snapshot or a live cluster): its version, templates and
 * indices. Index definitions are loaded on demand, since a source may hold thousands.
 */
public interface SourceMetadata {
  /** Where it comes from, for reports: "snapshot 'snap-1' in /data/repo" or "http://source:9200". */
  String description();

  /** The source's version (for snapshots: the version that wrote it), or null when unknown. */
  ClusterVersion version();

  List<TemplateMetadata> templates();

  /** Names of every index, system ones included. */
  List<String> indexNames();

  /**
   * The indices {@code selection} chooses, sorted. An allowlist entry that matches none of them is an error naming
   * this source; a snapshot names itself as backfill and snapshot dump do ("snapshot 'snap-1'").
   */
  default List<String> indexNames(Selection selection) {
    return selection.indices(indexNames(), description());
  }

  IndexMetadata index(String name);
}
