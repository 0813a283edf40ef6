package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code migrate} command line: one entry point for the whole migration journey.
 *
 * <pre>
 * ./migrate demo
 * ./migrate clusters provision --distribution elasticsearch --version 7.10.2
 * ./migrate backfill --repo /snapshots/repo --snapshot snap-1 --target http://localhost:9200
 * </pre>
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, version = "search-migrate 0.1.0",
    description = "Moves an Elasticsearch or OpenSearch cluster onto OpenSearch with no downtime and nothing lost.",
    subcommands = {DemoCommand.class, ClustersCommand.class, AssessCommand.class, SnapshotCommand.class, MetadataCommand.class,
        BackfillCommand.class, ValidateCommand.class,
        ProxyCommand.class, KafkaCommand.class, ReplayCommand.class, TuplesCommand.class, FlinkCommand.class, CommandLine.HelpCommand.class})
public final class Migrate implements Runnable {
  /** Exit code for errors the user can fix (bad input, unreachable cluster, ...). */
  public static final int USER_ERROR = 2;
  /** Exit code for a run that finished but failed (documents failed, nothing written, ...). */
  public static final int RUN_FAILED = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line with the given output streams and returns its exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Migrate());
    addHelpOption(cli);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      UserError userError = findUserError(e);
      if (userError != null) {
        commandLine.getErr().println("error: " + userError.getMessage());
        if (System.getenv("MIGRATE_DEBUG") != null) {
          e.printStackTrace(commandLine.getErr());
        }
        return USER_ERROR;
      }
      commandLine.getErr().println("unexpected error (please report it with the trace below): " + e);
      e.printStackTrace(commandLine.getErr());
      return 3;
    });
    return cli.execute(args);
  }

  /** Every command answers --help (commands with their own --version option cannot take picocli's standard pair). */
  private static void addHelpOption(CommandLine command) {
    if (command.getCommandSpec().findOption("--help") == null) {
      command.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
          .description("Show this help message and exit.").build());
    }
    command.getSubcommands().values().forEach(Migrate::addHelpOption);
  }

  /** Beam and other layers wrap our errors; the user should see the message that names the problem. */
  static UserError findUserError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UserError) {
        return (UserError) t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
