package io.searchmigrate.transforms.metadata;

import io.searchmigrate.common.version.ClusterVersion;

/** What a transformation may depend on: the two versions, the user's options, and which item it works on. */
public final class TransformContext {
  /** The kind of item being transformed. */
  public enum ItemKind { INDEX, LEGACY_TEMPLATE, INDEX_TEMPLATE, COMPONENT_TEMPLATE }

  private final ClusterVersion source;
  private final ClusterVersion target;
  private final MigrationOptions options;
  private final ItemKind kind;
  private final String itemName;

  public TransformContext(ClusterVersion source, ClusterVersion target, MigrationOptions options, ItemKind kind, String itemName) {
    this.source = source;
    this.target = target;
    this.options = options;
    this.kind = kind;
    this.itemName = itemName;
  }

  /** The source's version; an unknown one is treated as the oldest supported (Elasticsearch 5.0). */
  public ClusterVersion source() {
    return source != null ? source : ClusterVersion.parse("ES 5.0.0");
  }

  public ClusterVersion target() {
    return target;
  }

  public MigrationOptions options() {
    return options;
  }

  public ItemKind kind() {
    return kind;
  }

  public String itemName() {
    return itemName;
  }

  public boolean isTemplate() {
    return kind != ItemKind.INDEX;
  }

  /** True for an Elasticsearch source older than major.minor. */
  public boolean sourceIsElasticsearchBefore(int major, int minor) {
    ClusterVersion s = source();
    return s.isElasticsearch() && (s.major() < major || (s.major() == major && s.minor() < minor));
  }

  /** True for an OpenSearch target at least major.minor. */
  public boolean targetIsOpenSearchAtLeast(int major, int minor) {
    return target.isAtLeast(ClusterVersion.Flavor.OPENSEARCH, major, minor);
  }
}
