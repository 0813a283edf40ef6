package io.searchmigrate.transforms.document;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.util.List;
import java.util.Set;

/**
 * Documents of a multi-type index go to one index per type ({@code --multi-type split}), the same indices the
 * metadata migration creates; documents of other indices keep their index.
 */
final class SplitTypes implements DocumentTransform {
  private static final long serialVersionUID = 1L;
  private final MigrationOptions options;
  private final Set<String> multiTypeIndices;

  SplitTypes(MigrationOptions options, Set<String> multiTypeIndices) {
    this.options = options;
    this.multiTypeIndices = Set.copyOf(multiTypeIndices);
  }

  @Override
  public String name() {
    return "split-types";
  }

  @Override
  public List<TargetDocument> apply(SourceDocument document) throws Exception {
    String index = document.type() != null && multiTypeIndices.contains(document.index())
        ? options.splitIndexName(document.index(), document.type()) : document.index();
    return List.of(new TargetDocument(index, document.id(), document.routing(), Json.toSingleLineJson(document.source())));
  }
}
