package io.searchmigrate.common;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Local paths from what users typed, refusing URLs: {@code Path.of("s3://bucket/x")} is the relative path
 * {@code s3:/bucket/x}, so a URL given where only a file fits would quietly become a folder named {@code s3:} in the
 * working directory.
 *
 * <pre>{@code
 * Path out = LocalPaths.of(options.getTuples(), "--tuples"); // UserError for s3://..., http://...
 * }</pre>
 */
public final class LocalPaths {
  private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);

  private LocalPaths() {}

  /** True for {@code scheme://...}, e.g. {@code s3://bucket/prefix}. */
  public static boolean isUrl(String value) {
    return value != null && URL.matcher(value).matches();
  }

  /** The path {@code value} names; {@code flag} names the option in the error ({@code --out}). */
  public static Path of(String value, String flag) {
    if (isUrl(value)) {
      throw new UserError(flag + " takes a local file or folder, not '" + value + "'"
          + (value.regionMatches(true, 0, "s3://", 0, 5) ? " (S3 locations work with --repo, backfill --dead-letter, replay "
              + "--tuples and --dead-letter, and the --in of tuples show and validate tuples)" : "")
          + "; give a path on this machine");
    }
    return Path.of(value);
  }
}
