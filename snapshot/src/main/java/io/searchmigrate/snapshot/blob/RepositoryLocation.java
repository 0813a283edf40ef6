package io.searchmigrate.snapshot.blob;

import io.searchmigrate.common.UserError;
import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A snapshot repository as the user named it, a folder or {@code s3://bucket/prefix}, with how to reach S3. It holds no
 * secret (S3 credentials are resolved where the repository is opened), so Beam workers carry it and open it themselves.
 *
 * <pre>{@code
 * RepositoryLocation repo = RepositoryLocation.of("s3://backups/es").withS3(S3Access.defaults().withRegion("eu-west-1"));
 * try (SnapshotRepository snapshots = SnapshotRepository.open(repo.open())) { ... }
 * }</pre>
 */
public final class RepositoryLocation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String location;
  private final S3Access s3;

  private RepositoryLocation(String location, S3Access s3) {
    this.location = Objects.requireNonNull(location, "location");
    this.s3 = s3;
  }

  /** A folder ({@code /data/repo} or {@code file:///data/repo}) or {@code s3://bucket/prefix}. */
  public static RepositoryLocation of(String location) {
    if (location == null || location.isBlank()) {
      throw new UserError("the snapshot repository is required: --repo PATH or --repo s3://bucket/prefix");
    }
    return new RepositoryLocation(location.strip(), S3Access.defaults());
  }

  /** How to reach S3 for an {@code s3://} location (ignored for folders). */
  public RepositoryLocation withS3(S3Access access) {
    return new RepositoryLocation(location, Objects.requireNonNull(access, "access"));
  }

  public boolean isS3() {
    return S3Uri.isS3(location);
  }

  public String location() {
    return location;
  }

  public S3Access s3() {
    return s3;
  }

  /** Opens the blobs; the caller closes them. */
  public BlobStore open() {
    if (isS3()) {
      return S3BlobStore.open(S3Uri.parse(location, "--repo"), s3);
    }
    String path = location.startsWith("file://") ? location.substring("file://".length()) : location;
    Path root = Path.of(path);
    if (!Files.isDirectory(root)) {
      throw new UserError("snapshot repository " + root.toAbsolutePath() + " does not exist or is not a directory; "
          + "expected the folder an fs repository was registered with (its 'location'), or s3://bucket/prefix");
    }
    return new FileSystemBlobStore(root);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RepositoryLocation other && location.equals(other.location) && Objects.equals(s3, other.s3);
  }

  @Override
  public int hashCode() {
    return Objects.hash(location, s3);
  }

  @Override
  public String toString() {
    return isS3() ? location + " (" + s3.describe() + ")" : location;
  }
}
