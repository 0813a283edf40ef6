package io.searchmigrate.snapshot.blob;

/** Opens a repository given as the user wrote it: a folder, or {@code s3://bucket/prefix} with S3's default settings. */
public final class Repositories {
  private Repositories() {}

  /** Same as {@code RepositoryLocation.of(location).open()}. */
  public static BlobStore open(String location) {
    return RepositoryLocation.of(location).open();
  }
}
