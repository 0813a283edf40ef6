package io.searchmigrate.transforms.document;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.util.List;
import java.util.Set;

/** The built-in document transforms. */
public final class DocumentTransforms {
  private DocumentTransforms() {}

  /**
   * The default: one target document per source document in the index of the same name, keeping id and routing.
   * Mapping types are dropped (OpenSearch has none), which merges the types of Elasticsearch 5 multi-type indices
   * into one, matching the merged mappings the index is created with. The source becomes single-line JSON,
   * whatever content type (JSON, SMILE, CBOR, YAML) the client originally used.
   */
  public static DocumentTransform standard() {
    return new MergeTypes();
  }

  /**
   * The transform matching the metadata migration's choice for multi-type indices: merged (the standard transform)
   * or split into one index per type for the given multi-type indices.
   */
  public static DocumentTransform forTypes(MigrationOptions options, Set<String> multiTypeIndices) {
    if (options.multiType() == MigrationOptions.MultiType.SPLIT && !multiTypeIndices.isEmpty()) {
      return new SplitTypes(options, multiTypeIndices);
    }
    return standard();
  }

  private static final class MergeTypes implements DocumentTransform {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
      return "merge-types";
    }

    @Override
    public List<TargetDocument> apply(SourceDocument document) throws Exception {
      return List.of(new TargetDocument(document.index(), document.id(), document.routing(),
          Json.toSingleLineJson(document.source())));
    }
  }
}
