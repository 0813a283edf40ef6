package io.searchmigrate.transforms.metadata;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/** Settings the source manages itself or the target does not know are never sent (version ids, uuids, ...). */
final class StripInternalSettings implements MetadataTransformation {
  /** Never sent to a target: state of the source index, or Elasticsearch features OpenSearch lacks. */
  static final List<String> INTERNAL = List.of(
      "index.uuid", "index.creation_date", "index.creation_date_string", "index.provided_name",
      "index.version.*", "index.resize.*", "index.shrink.*", "index.routing.allocation.initial_recovery.*",
      "index.history.uuid", "index.blocks.*", "index.lifecycle.*", "index.frozen", "index.search.throttled",
      "index.verified_before_close", "index.format", "index.mapping.single_type", "index.mapper.dynamic",
      "index.soft_deletes.enabled", "index.routing.allocation.*._tier*", "index.xpack.*", "index.ccr.*",
      "index.store.snapshot.*", "index.mode", "index.time_series.*", "index.routing_path", "index.look_ahead_time",
      "index.look_back_time", "index.mapping.synthetic_source_keep", "index.mapping.total_fields.ignore_dynamic_beyond_limit",
      "index.mapping.source.mode", "index.downsample.*", "index.rollup.*", "index.default_pipeline_resolved", "archived.*");
  private static final List<Pattern> PATTERNS = compile(INTERNAL);

  private static List<Pattern> compile(List<String> globs) {
    List<Pattern> list = new ArrayList<>();
    for (String glob : globs) {
      list.add(Pattern.compile(glob.replace(".", "\\.").replace("*", "[^.]*(\\..*)?")));
    }
    return list;
  }

  static boolean isInternal(String key) {
    String full = key.startsWith("index.") || key.startsWith("archived.") ? key : "index." + key;
    return PATTERNS.stream().anyMatch(p -> p.matcher(full).matches());
  }

  @Override
  public String name() {
    return "strip-internal-settings";
  }

  @Override
  public String description() {
    return "never sends settings the source manages itself (uuid, creation date, version ids, provided name, resize and "
        + "ILM state, blocks, data tiers) or Elasticsearch-only settings the target would reject";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return true;
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    List<String> stripped = new ArrayList<>();
    for (Iterator<String> keys = d.settings().fieldNames(); keys.hasNext();) {
      String key = keys.next();
      if (isInternal(key)) {
        stripped.add(key);
        keys.remove();
      }
    }
    if (!stripped.isEmpty()) {
      d.changed(name(), "not sent: " + String.join(", ", stripped));
    }
  }
}
