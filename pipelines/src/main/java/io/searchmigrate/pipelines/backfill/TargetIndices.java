package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.transforms.metadata.IndexTransforms;
import io.searchmigrate.transforms.metadata.TargetIndex;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates a target index that does not exist yet from the snapshot's definition of it, transformed for the
 * target. Settings the target still rejects by name are dropped one at a time (each noted); anything else it
 * rejects stops the run with the target's reason.
 */
final class TargetIndices {
  private static final Pattern REJECTED_SETTING = Pattern.compile(
      "unknown setting \\[([^\\]]+)\\]|private index setting \\[([^\\]]+)\\]|archived setting \\[([^\\]]+)\\]");
  private static final int MAX_SETTING_DROPS = 25;

  private TargetIndices() {}

  /** What happened to one index. */
  static final class Prepared {
    final String index;
    final boolean created;
    final TargetIndex definition;

    Prepared(String index, boolean created, TargetIndex definition) {
      this.index = index;
      this.created = created;
      this.definition = definition;
    }
  }

  static Prepared prepare(ClusterClient target, IndexMetadata source) {
    String path = "/" + ClusterClient.segment(source.name());
    if (target.head(path).status() == 200) {
      return new Prepared(source.name(), false, null);
    }
    TargetIndex definition = IndexTransforms.forTarget(source);
    for (int drops = 0; drops <= MAX_SETTING_DROPS; drops++) {
      ClusterResponse response = target.putJson(path, definition.createBody());
      if (response.isSuccess()) {
        return new Prepared(source.name(), true, definition);
      }
      if (response.errorType().contains("resource_already_exists")) {
        return new Prepared(source.name(), false, null); // created concurrently: fine, documents go into it
      }
      String reason = response.errorReason();
      Matcher m = REJECTED_SETTING.matcher(reason);
      TargetIndex trimmed = null;
      if (m.find()) {
        String key = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        trimmed = definition.withoutSetting(key, "the target rejected it: " + reason);
      }
      if (trimmed == null) {
        throw new UserError("the target refused to create index '" + source.name() + "' (HTTP " + response.status() + "): "
            + reason + ". Create the index on the target yourself (for example with the metadata migration), then run the "
            + "backfill again; existing indices are used as they are");
      }
      definition = trimmed;
    }
    throw new UserError("the target kept rejecting settings of index '" + source.name() + "'; create it yourself and retry");
  }
}
