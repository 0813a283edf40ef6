package io.searchmigrate.metadata;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.transforms.metadata.TransformContext;
import io.searchmigrate.transforms.metadata.TransformedItem;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates transformed items on the target, never overwriting: an item that already exists is skipped. A setting
 * the target refuses by name is dropped and the item retried (recorded as a warning); any other refusal is
 * reported with the target's own reason.
 */
public final class TargetWriter {
  private static final Pattern REJECTED_SETTING = Pattern.compile(
      "unknown setting \\[([^\\]]+)\\]|private index setting \\[([^\\]]+)\\]|archived setting \\[([^\\]]+)\\]");
  private static final int MAX_SETTING_DROPS = 25;

  /** What happened to one item. */
  public static final class Outcome {
    public enum Status { CREATED, EXISTS, FAILED }

    public final Status status;
    /** The item as finally sent (settings the target refused removed). */
    public final TransformedItem item;
    /** The target's reason, for FAILED. */
    public final String reason;

    Outcome(Status status, TransformedItem item, String reason) {
      this.status = status;
      this.item = item;
      this.reason = reason;
    }
  }

  private final ClusterClient target;

  public TargetWriter(ClusterClient target) {
    this.target = target;
  }

  /** The REST path of an item on the target. */
  public static String path(TransformedItem item) {
    String name = ClusterClient.segment(item.targetName());
    switch (item.kind()) {
      case LEGACY_TEMPLATE: return "/_template/" + name;
      case INDEX_TEMPLATE: return "/_index_template/" + name;
      case COMPONENT_TEMPLATE: return "/_component_template/" + name;
      default: return "/" + name;
    }
  }

  public boolean exists(TransformedItem item) {
    ClusterResponse response = item.kind() == TransformContext.ItemKind.INDEX || item.kind() == TransformContext.ItemKind.LEGACY_TEMPLATE
        ? target.head(path(item)) : target.get(path(item));
    return response.status() == 200;
  }

  public Outcome create(TransformedItem item) {
    if (exists(item)) {
      return new Outcome(Outcome.Status.EXISTS, item, null);
    }
    TransformedItem current = item;
    for (int drops = 0; drops <= MAX_SETTING_DROPS; drops++) {
      ClusterResponse response = target.putJson(path(current), current.body());
      if (response.isSuccess()) {
        return new Outcome(Outcome.Status.CREATED, current, null);
      }
      if (response.errorType().contains("resource_already_exists")) {
        return new Outcome(Outcome.Status.EXISTS, current, null);
      }
      String reason = response.errorReason();
      Matcher m = REJECTED_SETTING.matcher(reason);
      TransformedItem trimmed = null;
      if (m.find()) {
        String key = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        trimmed = current.withoutSetting(key, reason);
      }
      if (trimmed == null) {
        return new Outcome(Outcome.Status.FAILED, current, "the target refused it (HTTP " + response.status() + "): " + reason);
      }
      current = trimmed;
    }
    return new Outcome(Outcome.Status.FAILED, current, "the target kept refusing settings");
  }
}
