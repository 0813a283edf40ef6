package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The repository's table of contents, the root {@code index-N} file (plain JSON): its snapshots and, per
 * index, the repository folder id and the snapshots holding it. Handles every layout from Elasticsearch 5.0
 * to 8.x and OpenSearch 1.x-2.x (REFERENCE-INTERNALS.md §A.3).
 */
public final class RepositoryData {
  /** One snapshot as listed in the repository. */
  public static final class SnapshotEntry {
    private final String name;
    private final String uuid;
    private final int state;
    private final String version;
    private final Map<String, String> indexMetadataLookup;

    SnapshotEntry(String name, String uuid, int state, String version, Map<String, String> indexMetadataLookup) {
      this.name = name;
      this.uuid = uuid;
      this.state = state;
      this.version = version;
      this.indexMetadataLookup = indexMetadataLookup;
    }

    public String name() {
      return name;
    }

    public String uuid() {
      return uuid;
    }

    /** 0 in progress, 1 success, 2 failed, 3 partial, 4 incompatible; -1 when not recorded (old repositories). */
    public int state() {
      return state;
    }

    public String stateName() {
      switch (state) {
        case 0: return "IN_PROGRESS";
        case 1: return "SUCCESS";
        case 2: return "FAILED";
        case 3: return "PARTIAL";
        case 4: return "INCOMPATIBLE";
        default: return "UNKNOWN";
      }
    }

    /** The version that wrote it, when the repository records it (Elasticsearch 7.9+). */
    public String version() {
      return version;
    }

    /** index id -> metadata identifier key (Elasticsearch 7.9+), empty before. */
    Map<String, String> indexMetadataLookup() {
      return indexMetadataLookup;
    }
  }

  /** One index as listed in the repository: its folder id and the snapshots holding it. */
  public static final class IndexEntry {
    private final String name;
    private final String id;
    private final Set<String> snapshots;

    IndexEntry(String name, String id, Set<String> snapshots) {
      this.name = name;
      this.id = id;
      this.snapshots = snapshots;
    }

    public String name() {
      return name;
    }

    /** The folder under {@code indices/}: a repository id, not the index's own uuid. */
    public String id() {
      return id;
    }

    Set<String> snapshots() {
      return snapshots;
    }
  }

  private final long generation;
  private final List<SnapshotEntry> snapshots;
  private final Map<String, IndexEntry> indices;
  private final Map<String, String> indexMetadataIdentifiers;

  private RepositoryData(long generation, List<SnapshotEntry> snapshots, Map<String, IndexEntry> indices,
      Map<String, String> indexMetadataIdentifiers) {
    this.generation = generation;
    this.snapshots = snapshots;
    this.indices = indices;
    this.indexMetadataIdentifiers = indexMetadataIdentifiers;
  }

  static RepositoryData parse(JsonNode root, long generation, String where) {
    if (!root.isObject() || !root.has("snapshots")) {
      throw new SnapshotFormatException(where + " is not a repository index: expected a JSON object with 'snapshots'");
    }
    List<SnapshotEntry> snapshots = new ArrayList<>();
    for (JsonNode s : root.path("snapshots")) {
      Map<String, String> lookup = new LinkedHashMap<>();
      s.path("index_metadata_lookup").fields().forEachRemaining(e -> lookup.put(e.getKey(), e.getValue().asText()));
      String name = s.path("name").asText();
      snapshots.add(new SnapshotEntry(name, s.path("uuid").asText(name), s.path("state").asInt(-1),
          s.path("version").asText(null), lookup));
    }
    Map<String, IndexEntry> indices = new LinkedHashMap<>();
    root.path("indices").fields().forEachRemaining(e -> {
      Set<String> holders = new LinkedHashSet<>();
      for (JsonNode ref : e.getValue().path("snapshots")) {
        // Elasticsearch 5.0-5.4 lists {"name":..,"uuid":..} objects, later versions the uuid alone.
        if (ref.isObject()) {
          holders.add(ref.path("uuid").asText(ref.path("name").asText()));
          holders.add(ref.path("name").asText());
        } else {
          holders.add(ref.asText());
        }
      }
      indices.put(e.getKey(), new IndexEntry(e.getKey(), e.getValue().path("id").asText(), holders));
    });
    Map<String, String> identifiers = new LinkedHashMap<>();
    root.path("index_metadata_identifiers").fields().forEachRemaining(e -> identifiers.put(e.getKey(), e.getValue().asText()));
    return new RepositoryData(generation, Collections.unmodifiableList(snapshots), Collections.unmodifiableMap(indices),
        identifiers);
  }

  public long generation() {
    return generation;
  }

  public List<SnapshotEntry> snapshots() {
    return snapshots;
  }

  public Map<String, IndexEntry> indices() {
    return indices;
  }

  /**
   * Names of the indices a snapshot holds, in name order (the repository lists them in the order of the writer's
   * hash map, so two snapshots of the same indices may list them differently).
   */
  public List<String> indicesOf(SnapshotEntry snapshot) {
    List<String> names = new ArrayList<>();
    if (!snapshot.indexMetadataLookup().isEmpty()) {
      Set<String> ids = snapshot.indexMetadataLookup().keySet();
      indices.values().stream().filter(i -> ids.contains(i.id())).forEach(i -> names.add(i.name()));
    } else {
      indices.values().stream()
          .filter(i -> i.snapshots().contains(snapshot.uuid()) || i.snapshots().contains(snapshot.name()))
          .forEach(i -> names.add(i.name()));
    }
    names.sort(null);
    return names;
  }

  /** The blob id of an index's metadata in a snapshot: a shared identifier (7.9+) or the snapshot uuid. */
  String indexMetadataBlobId(SnapshotEntry snapshot, IndexEntry index) {
    String key = snapshot.indexMetadataLookup().get(index.id());
    if (key != null) {
      String blobId = indexMetadataIdentifiers.get(key);
      if (blobId != null) {
        return blobId;
      }
    }
    return snapshot.uuid();
  }
}
