package io.searchmigrate.console;

import io.searchmigrate.common.LocalPaths;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        ProxyCommand.class, KafkaCommand.class, ReplayCommand.class, TuplesCommand.class, FlinkCommand.class, ConfigCommand.class, StatusCommand.class, ResetCommand.class,
        CommandLine.HelpCommand.class})
public final class Migrate implements Runnable {
  /** Exit code for errors the user can fix (bad input, unreachable cluster, ...). */
  public static final int USER_ERROR = 2;
  /** Exit code for a run that finished but failed (documents failed, nothing written, ...). */
  public static final int RUN_FAILED = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The configuration in effect (migration.yaml and MIGRATE_* variables); flags are filled from it. */
  MigrationConfig config;
  /** Where migration.yaml is looked for and written. */
  Path workingDir;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    ClusterClient.endSelectorThreadsBeforeExit(); // else the exit waits about 0.3 s for them
    System.exit(code);
  }

  /** Runs one command line with the given output streams and returns its exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return execute(out, err, System.getenv(), Path.of(""), args);
  }

  /** Runs one command line with this environment and working directory (where migration.yaml is looked for). */
  static int execute(PrintWriter out, PrintWriter err, Map<String, String> env, Path workingDir, String... args) {
    Migrate migrate = new Migrate();
    migrate.workingDir = workingDir;
    try {
      migrate.config = MigrationConfig.find(configFlag(args), env, workingDir);
    } catch (UserError e) {
      if (!ignoresConfiguration(args)) {
        err.println("error: " + e.getMessage());
        return USER_ERROR;
      }
      migrate.config = MigrationConfig.none();
    }
    CommandLine cli = new CommandLine(migrate);
    addHelpOption(cli);
    cli.registerConverter(Path.class, Migrate::localPath);
    cli.setDefaultValueProvider(new ConfigDefaults(migrate.config));
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

  /** Path options take local paths only: picocli's own conversion would turn s3://b/x into a folder named "s3:". */
  private static Path localPath(String value) {
    try {
      return LocalPaths.of(value, "this option");
    } catch (UserError e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /**
   * Every command answers --help (commands with their own --version option cannot take picocli's standard pair) and
   * takes --config (read before parsing, so that flags can be filled from it).
   */
  private static void addHelpOption(CommandLine command) {
    if (command.getCommandSpec().findOption("--help") == null) {
      command.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
          .description("Show this help message and exit.").build());
    }
    if (ConfigDefaults.usesConfiguration(command.getCommandSpec()) && command.getCommandSpec().findOption("--config") == null) {
      command.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("--config").paramLabel("FILE").type(Path.class)
          .description("the migration's configuration (default: $" + MigrationConfig.CONFIG_ENV + ", else ./"
              + MigrationConfig.FILE_NAME + " if present); flags win over MIGRATE_* variables, which win over it").build());
    }
    command.getSubcommands().values().forEach(Migrate::addHelpOption);
  }

  /** The value of --config FILE (or --config=FILE) anywhere on the command line, or null. */
  static Path configFlag(String... args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    return null;
  }

  /** Commands that still run when the configuration cannot be read: help, the demo, and writing a new one. */
  private static boolean ignoresConfiguration(String... args) {
    List<String> words = List.of(args);
    return words.isEmpty() || words.contains("--help") || words.contains("-h") || words.get(0).equals("help")
        || words.get(0).equals("demo") || (words.get(0).equals("config") && words.contains("init"));
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
