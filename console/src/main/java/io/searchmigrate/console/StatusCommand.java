package io.searchmigrate.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migrate status}: every configured part of the migration in one table, OK, FAIL (with what to do) or SKIP
 * (not configured), always in the same order; exit 1 when a configured part fails.
 *
 * <pre>
 * ./migrate status                        # from migration.yaml
 * ./migrate status --source URL --target URL --kafka HOST:PORT --topic T --output json
 * </pre>
 */
@Command(name = "status", description = {"Check every configured part of the migration: source and target (reachable, "
    + "credentials, version, health), the snapshot repository and snapshot, Kafka and the capture topic, the capture proxy "
    + "(health, counters), Flink, the replay's lag (group " + MigrationParts.REPLAY_GROUP + "), the last validation verdict.",
    "Each part is OK, FAIL (with what to do) or SKIP (not configured). Exit 0 when no part fails, 1 otherwise."})
final class StatusCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  MigrationFlags parts;

  @Option(names = "--output", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
  String output;

  @Override
  public Integer call() {
    if (!output.equals("text") && !output.equals("json")) {
      throw new UserError("--output takes text or json, not '" + output + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<MigrationParts.Row> rows = new MigrationParts(parts, spec.commandLine().getErr()).check();
    boolean failed = rows.stream().anyMatch(r -> r.state() == MigrationParts.State.FAIL);
    if (output.equals("json")) {
      ObjectNode report = Json.object();
      report.put("ok", !failed);
      ArrayNode list = report.putArray("parts");
      for (MigrationParts.Row row : rows) {
        ObjectNode part = list.addObject();
        part.put("part", row.part());
        part.put("state", row.state().name());
        part.put("details", ConfigCommand.redacted(row.details()));
        if (row.action() != null) {
          part.put("action", row.action());
        }
      }
      out.print(Json.toPrettyString(report) + "\n");
    } else {
      String format = "%-10s %-5s %s%n";
      out.printf(format, "PART", "STATE", "DETAILS");
      for (MigrationParts.Row row : rows) {
        out.printf(format, row.part(), row.state(), ConfigCommand.redacted(row.details()));
        if (row.action() != null) {
          out.printf(format, "", "", "→ " + row.action());
        }
      }
      long configured = rows.stream().filter(r -> r.state() != MigrationParts.State.SKIP).count();
      out.println(failed ? "status: FAIL (" + rows.stream().filter(r -> r.state() == MigrationParts.State.FAIL).count()
          + " of " + configured + " checked part(s) failed)" : "status: OK (" + configured + " part(s) checked)");
    }
    out.flush();
    return failed ? Migrate.RUN_FAILED : 0;
  }
}
