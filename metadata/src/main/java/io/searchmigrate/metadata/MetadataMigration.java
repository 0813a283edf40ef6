package io.searchmigrate.metadata;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.SourceMetadata;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.transforms.metadata.MetadataTransformer;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import io.searchmigrate.transforms.metadata.TransformedItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Evaluates or migrates a source's templates, indices and aliases onto the target.
 *
 * <pre>{@code
 * MigrationReport report = new MetadataMigration(SnapshotMetadata.of(repo, "snap-1"), target, Selection.defaults(),
 *     MigrationOptions.defaults(), System.err::println).run(MetadataMigration.Mode.EVALUATE);
 * }</pre>
 *
 * <p>Evaluate only reads the target. Migrate creates legacy templates, then component templates, then index
 * templates (which may name components), then indices with their aliases; an item that already exists is
 * skipped, so running it again is safe. An item the target refuses is reported with the target's reason and the
 * run carries on with the others. After migrate, everything sent is compared with what the target holds.
 */
public final class MetadataMigration {
  /** Dry run or the real thing. */
  public enum Mode { EVALUATE, MIGRATE }

  private final SourceMetadata source;
  private final ClusterClient target;
  private final Selection selection;
  private final MigrationOptions options;
  private final Consumer<String> log;

  public MetadataMigration(SourceMetadata source, ClusterClient target, Selection selection, MigrationOptions options,
      Consumer<String> log) {
    this.source = source;
    this.target = target;
    this.selection = selection;
    this.options = options;
    this.log = log;
  }

  public MigrationReport run(Mode mode) {
    // an allowlist entry that matches nothing is the user's error: say so before anything is written
    List<String> chosen = source.indexNames(selection);
    ClusterVersion targetVersion = ClusterVersion.detect(target);
    MetadataTransformer transformer = new MetadataTransformer(source.version(), targetVersion, options);
    TargetWriter writer = new TargetWriter(target);
    MigrationReport report = new MigrationReport(mode == Mode.EVALUATE ? "evaluate (dry run, nothing written)" : "migrate",
        source.description(), target.endpoint().url() + " (" + targetVersion + ")");

    List<TemplateMetadata> templates = new ArrayList<>(source.templates());
    templates.sort(TemplateMetadata.CREATION_ORDER);
    for (TemplateMetadata template : templates) {
      String excluded = selection.templateExclusion(template);
      if (excluded != null) {
        report.exclude(template.toString(), excluded);
        continue;
      }
      ItemResult.Section section = section(template.kind());
      TransformedItem item;
      try {
        item = transformer.template(template);
      } catch (RuntimeException e) {
        report.add(new ItemResult(section, template.name(), template.name(), failed(mode), "could not be transformed: " + e.getMessage(),
            List.of(), List.of(), List.of()));
        continue;
      }
      report.add(apply(mode, writer, section, item, null));
    }

    List<String> names = new ArrayList<>(source.indexNames());
    names.sort(null);
    for (String name : names) {
      if (!chosen.contains(name)) {
        report.exclude("index '" + name + "'", selection.indexExclusion(name));
        continue;
      }
      IndexMetadata index = source.index(name);
      List<TransformedItem> items;
      try {
        items = transformer.index(index);
      } catch (RuntimeException e) {
        report.add(new ItemResult(ItemResult.Section.INDEX, name, name, failed(mode), "could not be transformed: " + e.getMessage(),
            List.of(), List.of(), List.of()));
        continue;
      }
      for (TransformedItem item : items) {
        ItemResult result = report.addAndReturn(apply(mode, writer, ItemResult.Section.INDEX, item, invalidIndexName(item.targetName())));
        item.body().path("aliases").fieldNames().forEachRemaining(alias -> report.add(new ItemResult(ItemResult.Section.ALIAS, alias,
            item.targetName(), result.outcome, result.outcome.isFailure() ? "its index was not created" : null, List.of(), List.of(), List.of())));
      }
    }
    if (mode == Mode.MIGRATE) {
      new MetadataValidation(target).validate(report);
    }
    log.accept(String.format("%d item(s), %d failed, %d excluded", report.items().size(), report.failures(), report.excluded().size()));
    return report;
  }

  private ItemResult apply(Mode mode, TargetWriter writer, ItemResult.Section section, TransformedItem item, String knownInvalid) {
    if (mode == Mode.EVALUATE) {
      if (writer.exists(item)) {
        return result(section, item, ItemResult.Outcome.SKIPPED, "already on the target (would be left as it is)");
      }
      if (knownInvalid != null) {
        return result(section, item, ItemResult.Outcome.WOULD_FAIL, knownInvalid);
      }
      return result(section, item, ItemResult.Outcome.WOULD_CREATE, null);
    }
    log.accept("creating " + section.title().toLowerCase() + " entry '" + item.targetName() + "'");
    TargetWriter.Outcome outcome = writer.create(item);
    switch (outcome.status) {
      case CREATED:
        return result(section, outcome.item, ItemResult.Outcome.CREATED, null);
      case EXISTS:
        return result(section, outcome.item, ItemResult.Outcome.SKIPPED, "already on the target (left as it is)");
      default:
        return result(section, outcome.item, ItemResult.Outcome.FAILED, outcome.reason);
    }
  }

  /** The report line of an item, holding what was sent so validation can compare it with the target. */
  static ItemResult result(ItemResult.Section section, TransformedItem item, ItemResult.Outcome outcome, String reason) {
    ItemResult result = new ItemResult(section, item.targetName(), item.sourceName(), outcome, reason, item.applied(), item.notes(),
        item.warnings());
    result.sent = item;
    return result;
  }

  private static ItemResult.Outcome failed(Mode mode) {
    return mode == Mode.EVALUATE ? ItemResult.Outcome.WOULD_FAIL : ItemResult.Outcome.FAILED;
  }

  private static ItemResult.Section section(TemplateMetadata.Kind kind) {
    switch (kind) {
      case LEGACY: return ItemResult.Section.LEGACY_TEMPLATE;
      case COMPONENT: return ItemResult.Section.COMPONENT_TEMPLATE;
      default: return ItemResult.Section.INDEX_TEMPLATE;
    }
  }

  /** OpenSearch's index name rules, checked up front so evaluate can tell. Null when the name is fine. */
  static String invalidIndexName(String name) {
    if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
      return "invalid index name on the target: must be lowercase";
    }
    for (char c : new char[] {'\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':'}) {
      if (name.indexOf(c) >= 0) {
        return "invalid index name on the target: must not contain '" + c + "'";
      }
    }
    if (name.startsWith("_") || name.startsWith("-") || name.startsWith("+")) {
      return "invalid index name on the target: must not start with '_', '-' or '+'";
    }
    if (name.equals(".") || name.equals("..") || name.getBytes(StandardCharsets.UTF_8).length > 255) {
      return "invalid index name on the target: '.', '..' and names over 255 bytes are not allowed";
    }
    return null;
  }
}
