package io.searchmigrate.transforms.metadata;

/**
 * With shard allocation awareness over N zones (--awareness-attributes N), copies of a shard (replicas + 1) must be
 * a multiple of N or the target refuses the index: replicas are raised to the next count that fits.
 */
final class RaiseReplicasForAwareness implements MetadataTransformation {
  @Override
  public String name() {
    return "raise-replicas-for-awareness";
  }

  @Override
  public String description() {
    return "raises number_of_replicas so that copies are a multiple of the target's awareness attribute values";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return context.options().awarenessAttributes() > 1;
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    int zones = context.options().awarenessAttributes();
    String key = d.settings().has("index.number_of_replicas") ? "index.number_of_replicas" : "number_of_replicas";
    if (!d.settings().has(key) && context.isTemplate()) {
      return; // a template without a replica count leaves it to the index or the target's default
    }
    int replicas = d.settings().has(key) ? d.settings().path(key).asInt() : 1;
    int copies = replicas + 1;
    int fitting = ((copies + zones - 1) / zones) * zones;
    if (fitting != copies) {
      d.settings().put("index.number_of_replicas", Integer.toString(fitting - 1));
      if (!key.equals("index.number_of_replicas")) {
        d.settings().remove(key);
      }
      d.changed(name(), "number_of_replicas " + replicas + " → " + (fitting - 1) + " (copies must be a multiple of " + zones + ")");
    }
  }
}
