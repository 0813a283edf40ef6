package io.searchmigrate.transforms.metadata;

import java.util.Iterator;

/**
 * Elasticsearch's {@code flattened} type is OpenSearch's {@code flat_object} from 2.7 on; before that it can
 * only be kept unindexed ({@code object}, {@code enabled: false}).
 */
final class FlattenedToFlatObject implements MetadataTransformation {
  @Override
  public String name() {
    return "flattened-to-flat-object";
  }

  @Override
  public String description() {
    return "turns 'flattened' fields into 'flat_object' (OpenSearch 2.7+), or into unindexed objects on older targets";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return context.target().isOpenSearch();
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    boolean supported = context.targetIsOpenSearchAtLeast(2, 7);
    MappingWalker.walk(d.mapping(), (path, field) -> {
      if (!"flattened".equals(field.path("type").asText())) {
        return;
      }
      for (Iterator<String> it = field.fieldNames(); it.hasNext();) {
        if (!it.next().equals("type")) {
          it.remove(); // flat_object takes no parameters
        }
      }
      if (supported) {
        field.put("type", "flat_object");
        d.changed(name(), "field '" + path + "': flattened became flat_object");
      } else {
        field.put("type", "object");
        field.put("enabled", false);
        d.warn(name(), "field '" + path + "': flattened became an unindexed object (flat_object needs OpenSearch 2.7+)");
      }
    });
  }
}
