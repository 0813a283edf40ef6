package io.searchmigrate.transforms.metadata;

/**
 * One named change that makes a source definition acceptable to the target. Reports show its {@link #name()};
 * {@code assess} shows its {@link #description()}.
 */
public interface MetadataTransformation {
  String name();

  /** What it changes and why, in one sentence. */
  String description();

  /** Whether it applies to this pair of versions and this kind of item. */
  boolean appliesTo(TransformContext context);

  /** Changes the definition in place, recording what it did with {@link Definition#changed} or {@link Definition#warn}. */
  void apply(Definition definition, TransformContext context);
}
