package io.searchmigrate.transforms.metadata;

/**
 * Mapping features OpenSearch no longer has: {@code _all} and {@code include_in_all}, {@code _parent},
 * {@code _timestamp} and {@code _ttl}.
 */
final class RemoveGoneMappingFeatures implements MetadataTransformation {
  @Override
  public String name() {
    return "remove-all-parent-timestamp";
  }

  @Override
  public String description() {
    return "removes _all/include_in_all (query named fields or use copy_to), _parent (model parent/child with a join field), "
        + "_timestamp and _ttl";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return true;
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    if (d.mapping() == null) {
      return;
    }
    if (d.mapping().remove("_all") != null) {
      d.changed(name(), "removed _all: queries on _all must name fields (or fill a field with copy_to)");
    }
    if (d.mapping().remove("_parent") != null) {
      d.warn(name(), "removed _parent: the parent/child relation is not carried over; model it with a join field");
    }
    for (String gone : new String[] {"_timestamp", "_ttl"}) {
      if (d.mapping().remove(gone) != null) {
        d.changed(name(), "removed " + gone + " (gone since Elasticsearch 5)");
      }
    }
    int[] removed = {0};
    MappingWalker.walk(d.mapping(), (path, field) -> {
      if (field.remove("include_in_all") != null) {
        removed[0]++;
      }
    });
    if (removed[0] > 0) {
      d.changed(name(), "removed include_in_all from " + removed[0] + " field(s)");
    }
  }
}
