package io.searchmigrate.pipelines.options;

import io.searchmigrate.snapshot.blob.RepositoryLocation;
import io.searchmigrate.snapshot.s3.S3Access;

/** Pipeline options to the serializable descriptions the IO connectors take. */
public final class RepositoryLocations {
  private RepositoryLocations() {}

  /** The repository {@code --repo} names, reached through S3 as {@code --s3Region}/{@code --s3Endpoint} say. */
  public static RepositoryLocation of(String repo, S3Options options) {
    return RepositoryLocation.of(repo).withS3(s3(options));
  }

  public static S3Access s3(S3Options options) {
    return S3Access.defaults().withRegion(options.getS3Region()).withEndpoint(options.getS3Endpoint());
  }
}
