package io.searchmigrate.snapshot.blob;

import io.searchmigrate.common.UserError;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a repository given as the user wrote it: a filesystem path (s3:// comes with the S3 reader). */
public final class Repositories {
  private Repositories() {}

  public static BlobStore open(String location) {
    if (location.startsWith("s3://")) {
      throw new UserError("S3 repositories are not supported yet (" + location + "); copy the repository to a "
          + "filesystem path, or register it on the source as an fs repository");
    }
    String path = location.startsWith("file://") ? location.substring("file://".length()) : location;
    Path root = Path.of(path);
    if (!Files.isDirectory(root)) {
      throw new UserError("snapshot repository " + root.toAbsolutePath() + " does not exist or is not a directory; "
          + "expected the folder an fs repository was registered with (its 'location')");
    }
    return new FileSystemBlobStore(root);
  }
}
