package io.searchmigrate.transforms.metadata;

import io.searchmigrate.common.UserError;
import java.io.Serializable;
import java.util.Locale;

/**
 * Choices that shape the target: what to do with multi-type indices (for metadata and documents alike), and how
 * many awareness attribute values the target spreads replicas over.
 */
public final class MigrationOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What becomes of an index with several mapping types (Elasticsearch 5 and older). */
  public enum MultiType { MERGE, SPLIT }

  private final MultiType multiType;
  private final String splitPattern;
  private final int awarenessAttributes;

  private MigrationOptions(MultiType multiType, String splitPattern, int awarenessAttributes) {
    this.multiType = multiType;
    this.splitPattern = splitPattern;
    this.awarenessAttributes = awarenessAttributes;
  }

  public static MigrationOptions defaults() {
    return new MigrationOptions(MultiType.MERGE, "{index}_{type}", 0);
  }

  /** "merge" (default), "split" or "split:PATTERN" where PATTERN uses {index} and {type}. */
  public MigrationOptions withMultiType(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("merge")) {
      return new MigrationOptions(MultiType.MERGE, splitPattern, awarenessAttributes);
    }
    if (t.toLowerCase(Locale.ROOT).startsWith("split")) {
      String pattern = t.contains(":") ? t.substring(t.indexOf(':') + 1) : splitPattern;
      if (!pattern.contains("{type}")) {
        throw new UserError("split pattern '" + pattern + "' must contain {type} (and usually {index}), e.g. split:{index}_{type}");
      }
      return new MigrationOptions(MultiType.SPLIT, pattern, awarenessAttributes);
    }
    throw new UserError("--multi-type takes merge, split or split:PATTERN (with {index} and {type}); got '" + text + "'");
  }

  /** Replicas are raised so that copies (replicas + 1) are a multiple of this; 0 or 1 leaves them alone. */
  public MigrationOptions withAwarenessAttributes(int values) {
    if (values < 0) {
      throw new UserError("--awareness-attributes must be 0 or more");
    }
    return new MigrationOptions(multiType, splitPattern, values);
  }

  public MultiType multiType() {
    return multiType;
  }

  public int awarenessAttributes() {
    return awarenessAttributes;
  }

  /** The target index of one type of a split multi-type index. */
  public String splitIndexName(String index, String type) {
    return splitPattern.replace("{index}", index).replace("{type}", type).toLowerCase(Locale.ROOT);
  }
}
