package io.searchmigrate.snapshot.s3;

import io.searchmigrate.common.UserError;
import java.io.Serializable;

/**
 * A place in S3 as users write it, {@code s3://bucket/prefix}: the bucket and a key prefix without slashes at
 * either end ("" for the bucket's root).
 */
public record S3Uri(String bucket, String prefix) implements Serializable {
  public static final String SCHEME = "s3://";

  public static boolean isS3(String location) {
    return location != null && location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /** Parses {@code s3://bucket[/prefix]}; {@code what} names the flag in the error ("--repo"). */
  public static S3Uri parse(String location, String what) {
    if (!isS3(location)) {
      throw new UserError(what + " '" + location + "' is not an S3 location; expected s3://bucket/prefix");
    }
    String rest = location.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
    if (!bucket.matches("[a-z0-9][a-z0-9.\\-_]{1,254}")) {
      throw new UserError(what + " '" + location + "' names no valid bucket ('" + bucket + "'); expected s3://bucket/prefix "
          + "with a bucket name of lower-case letters, digits, '.' and '-'");
    }
    return new S3Uri(bucket, prefix);
  }

  /** The key of {@code path} (relative, '/'-separated) under the prefix. */
  public String key(String path) {
    if (path.isEmpty()) {
      return prefix;
    }
    return prefix.isEmpty() ? path : prefix + "/" + path;
  }

  /** {@code s3://bucket/prefix/path}, for messages. */
  public String describe(String path) {
    String key = key(path);
    return SCHEME + bucket + (key.isEmpty() ? "" : "/" + key);
  }

  @Override
  public String toString() {
    return describe("");
  }
}
