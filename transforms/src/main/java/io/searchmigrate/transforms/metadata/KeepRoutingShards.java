package io.searchmigrate.transforms.metadata;

/**
 * A document's shard is its routing hashed over the index's routing shards. Elasticsearch before 7.0 used the
 * number of shards there; later versions and OpenSearch default to a larger count (to allow splits), so the
 * same routing would land on another shard. The source's count is kept, so documents land where they did.
 */
final class KeepRoutingShards implements MetadataTransformation {
  @Override
  public String name() {
    return "keep-routing-shards";
  }

  @Override
  public String description() {
    return "keeps the source's routing shards (index.number_of_routing_shards), so each routing value lands on the same "
        + "shard as on the source";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return context.kind() == TransformContext.ItemKind.INDEX;
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    if (d.settings().has("index.number_of_routing_shards")) {
      return; // set explicitly on the source: already kept
    }
    Integer routingShards = d.routingNumShards();
    if (routingShards == null && context.sourceIsElasticsearchBefore(7, 0) && d.settings().has("index.number_of_shards")) {
      routingShards = d.settings().path("index.number_of_shards").asInt();
    }
    if (routingShards == null) {
      return; // a 7.x+ source with the default count: the target computes the same default
    }
    d.settings().put("index.number_of_routing_shards", Integer.toString(routingShards));
    d.changed(name(), "index.number_of_routing_shards " + routingShards + " (as on the source, so routing lands on the same shards)");
  }
}
