package io.searchmigrate.console;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.metadata.assess.Assessment;
import io.searchmigrate.metadata.assess.AssessmentReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate assess}: the breaking changes between this source and the target, and the client changes they need. */
@Command(name = "assess", description = {
    "Report the breaking changes and client changes for this source.",
    "Lists every breaking change between the source's version and the target's that touches this source: the indices, "
        + "templates and fields it affects, what the migration changes by itself, and the client changes required. Reads a "
        + "snapshot (--repo/--snapshot) or a live source (--source); the target is a live cluster or --target-version."})
final class AssessCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  SourceChoice from;

  @Mixin
  ClusterOptions.Target target;

  @Option(names = "--target-version", description = "the target's version when it is not running yet, e.g. 'OS 2.19.1'")
  String targetVersion;

  @Option(names = "--indices", split = ",", description = "indices to assess (names, * patterns or regex:...; default: all but system indices)")
  List<String> indices = new ArrayList<>();

  @Option(names = "--output", defaultValue = "text", description = "text, json or html")
  String output;

  @Option(names = "--out", description = "write the report to this file instead of the screen")
  Path out;

  @Override
  public Integer call() throws IOException {
    if ((target.url == null) == (targetVersion == null)) {
      throw new UserError("give the target as a live cluster (--target URL) or as a version (--target-version 'OS 2.19.1'), one of them");
    }
    ClusterVersion version = targetVersion != null ? ClusterVersion.parse(targetVersion)
        : ClusterVersion.detect(ClusterClient.connect(target.endpoint()));
    if (!version.isOpenSearch()) {
      throw new UserError("the target must be OpenSearch; " + version + " is not");
    }
    AssessmentReport report;
    try (SourceChoice source = from) {
      report = Assessment.of(source.open(), version, Selection.ofIndices(indices));
    }
    String text = switch (output) {
      case "text" -> report.renderText();
      case "json" -> Json.toPrettyString(report.toJson()) + "\n";
      case "html" -> report.renderHtml();
      default -> throw new UserError("--output takes text, json or html, not '" + output + "'");
    };
    if (out != null) {
      OwnerOnlyFiles.writeString(out, text);
      spec.commandLine().getErr().println("assessment written to " + out.toAbsolutePath() + " (" + report.findings().size()
          + " breaking change(s), " + report.clientChangesRequired() + " needing client changes)");
    } else {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
