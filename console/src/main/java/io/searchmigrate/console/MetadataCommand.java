package io.searchmigrate.console;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.metadata.MetadataMigration;
import io.searchmigrate.metadata.MigrationReport;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate metadata evaluate|migrate}: templates, indices and aliases onto the target. */
@Command(name = "metadata", description = "Evaluate (dry run) or migrate templates, indices and aliases onto the target.",
    subcommands = {MetadataCommand.Evaluate.class, MetadataCommand.Migrate.class})
final class MetadataCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Flags shared by evaluate and migrate. */
  static final class Options {
    @Mixin
    SourceChoice from;

    @Mixin
    ClusterOptions.Target target;

    @Option(names = "--indices", split = ",", description = "index allowlist: names, * patterns or regex:...; default: all but system indices")
    List<String> indices = new ArrayList<>();

    @Option(names = "--index-templates", split = ",", description = "index (and legacy) template allowlist; default: all but system and stack templates")
    List<String> indexTemplates = new ArrayList<>();

    @Option(names = "--component-templates", split = ",", description = "component template allowlist; default: all but stack templates")
    List<String> componentTemplates = new ArrayList<>();

    @Option(names = "--multi-type", defaultValue = "merge", description = "indices with several mapping types (Elasticsearch 5): "
        + "merge (default) into one mapping, or split[:PATTERN] into one index per type (default pattern {index}_{type})")
    String multiType;

    @Option(names = "--awareness-attributes", defaultValue = "0", description = "values of the target's allocation awareness "
        + "attribute (e.g. 3 zones): replicas are raised so copies are a multiple of it")
    int awarenessAttributes;

    @Option(names = "--output", defaultValue = "text", description = "text or json")
    String output;

    int run(MetadataMigration.Mode mode, CommandLine.Model.CommandSpec spec) throws IOException {
      if (!output.equals("text") && !output.equals("json")) {
        throw new UserError("--output takes text or json, not '" + output + "'");
      }
      PrintWriter err = spec.commandLine().getErr();
      MigrationOptions options = MigrationOptions.defaults().withMultiType(multiType).withAwarenessAttributes(awarenessAttributes);
      MigrationReport report;
      try (SourceChoice source = from) {
        report = new MetadataMigration(source.open(), ClusterClient.connect(target.endpoint()),
            Selection.of(indices, indexTemplates, componentTemplates), options, err::println).run(mode);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(output.equals("json") ? Json.toPrettyString(report.toJson()) + "\n" : report.render());
      out.flush();
      return report.failures() > 0 ? io.searchmigrate.console.Migrate.RUN_FAILED : 0;
    }
  }

  @Command(name = "evaluate", description = {"Show what migrate would do, without writing anything to the target.",
      "Lists each template, index and alias with the transformations it needs, and what would fail. Exits 1 when "
          + "something would fail."})
  static final class Evaluate implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options options;

    @Override
    public Integer call() throws IOException {
      return options.run(MetadataMigration.Mode.EVALUATE, spec);
    }
  }

  @Command(name = "migrate", description = {"Create the source's templates, indices and aliases on the target.",
      "Creates legacy, component and index templates, then indices with their aliases. Items already there are skipped, "
          + "so it is safe to run again. Each item the target refuses is reported with the target's reason and the rest "
          + "carries on; then the target is compared with what was sent. Exits 1 when an item failed."})
  static final class Migrate implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options options;

    @Override
    public Integer call() throws IOException {
      return options.run(MetadataMigration.Mode.MIGRATE, spec);
    }
  }
}
