package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.Secret;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code config init|show|check}: write a commented {@code migration.yaml}, print what is in effect (secrets never
 * shown), and check it.
 *
 * <pre>
 * ./migrate config init                 # ./migration.yaml, commented
 * ./migrate config show --target URL    # the merged result, each value with where it came from
 * ./migrate config check                # unknown keys, wrong types, what does not fit together
 * </pre>
 */
@Command(name = "config", description = "The migration's configuration file (migration.yaml): init, show, check.",
    subcommands = {ConfigCommand.Init.class, ConfigCommand.Show.class, ConfigCommand.Check.class})
final class ConfigCommand {
  /** A URL's password ({@code scheme://user:password@host}). */
  private static final Pattern URL_PASSWORD = Pattern.compile("(\\w+://[^/:@\\s]+):[^@/\\s]*@");

  static MigrationConfig config(CommandLine.Model.CommandSpec spec) {
    return ((Migrate) spec.root().userObject()).config;
  }

  @Command(name = "init", description = "Write a commented example migration.yaml (here, or at --config FILE).")
  static final class Init implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--force", description = "overwrite an existing file")
    boolean force;

    @Override
    public Integer call() throws IOException {
      Path explicit = spec.findOption("--config").getValue();
      Path file = explicit != null ? explicit : ((Migrate) spec.root().userObject()).workingDir.resolve(MigrationConfig.FILE_NAME);
      if (Files.exists(file) && !force) {
        throw new UserError(file + " exists already; keep it, or pass --force to write the example over it");
      }
      Files.writeString(file, example());
      spec.commandLine().getOut().println("wrote " + file + "; edit it, then: ./migrate config check && ./migrate status");
      return 0;
    }
  }

  @Command(name = "show", description = "Print the configuration in effect: flags over MIGRATE_* variables over the file, "
      + "each value with where it came from. Passwords are never shown, only where they are read from.")
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    MigrationFlags flags;

    @Override
    public Integer call() {
      MigrationConfig config = config(spec);
      PrintWriter out = spec.commandLine().getOut();
      out.println("# " + (config.file() == null ? "no configuration file" : "configuration file: " + config.file().toAbsolutePath())
          + " (flags win over MIGRATE_* variables, which win over the file)");
      List<String> open = new ArrayList<>();
      for (Map.Entry<String, MigrationConfig.Value> entry : flags.effective(config).entrySet()) {
        String[] parts = entry.getKey().split("\\.");
        int common = 0;
        while (common < open.size() && common < parts.length - 1 && open.get(common).equals(parts[common])) {
          common++;
        }
        open.subList(common, open.size()).clear();
        for (int i = common; i < parts.length - 1; i++) {
          out.println("  ".repeat(i) + parts[i] + ":");
          open.add(parts[i]);
        }
        String value = redacted(entry.getValue().text());
        String line = "  ".repeat(parts.length - 1) + parts[parts.length - 1] + ": " + quoted(value);
        out.println(String.format("%-50s # %s%s", line, entry.getValue().origin(), secretNote(config, entry.getKey(), value)));
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "check", description = "Check the configuration: unknown keys and wrong types (with their line), what "
      + "does not fit together, and that passwords can be read from where it says. Exit 0 when it is good, 2 otherwise.")
  static final class Check implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    MigrationFlags flags;

    @Override
    public Integer call() {
      MigrationConfig config = config(spec);
      if (config.file() == null && flags.effective(config).isEmpty()) {
        throw new UserError("no configuration to check: no --config FILE, no $" + MigrationConfig.CONFIG_ENV + ", no "
            + MigrationConfig.FILE_NAME + " here and no MIGRATE_* variable; write one with: ./migrate config init");
      }
      List<String> problems = new ArrayList<>(config.problems());
      if (problems.isEmpty()) {
        // the same checks every command makes before it connects: URL without a password, readable password source
        for (Map.Entry<String, Runnable> cluster : Map.<String, Runnable>of(
            "source", () -> flags.source.endpoint(), "target", () -> flags.target.endpoint()).entrySet()) {
          if (config.get(cluster.getKey() + ".endpoint") != null) {
            try {
              cluster.getValue().run();
            } catch (UserError e) {
              problems.add(cluster.getKey() + ": " + e.getMessage());
            }
          }
        }
        problems.sort(null);
      }
      String name = config.file() == null ? "the MIGRATE_* variables" : config.file().toString();
      if (problems.isEmpty()) {
        spec.commandLine().getOut().println(name + ": OK (" + flags.effective(config).size() + " setting(s))");
        return 0;
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println(name + ": " + problems.size() + " problem(s)");
      problems.forEach(p -> err.println("  " + p));
      return Migrate.USER_ERROR;
    }
  }

  /** A value with any password written into a URL replaced by ***. */
  static String redacted(String value) {
    return URL_PASSWORD.matcher(value).replaceAll("$1:***@");
  }

  private static String quoted(String value) {
    return value.matches("[A-Za-z0-9_./:@*+-]+") ? value
        : "'" + value.replace("'", "''") + "'";
  }

  /** Whether a password source can be read, never what it holds. */
  private static String secretNote(MigrationConfig config, String key, String value) {
    if (key.endsWith(".password_env")) {
      return config.hasVariable(value) ? " (set; its value is not shown)" : " (NOT SET in this environment)";
    }
    if (key.endsWith(".password_file")) {
      return Files.isReadable(Path.of(value)) ? " (readable; its content is not shown)" : " (NOT READABLE)";
    }
    return "";
  }

  private static String example() {
    return """
        # migration.yaml: the settings of one migration, read by every ./migrate command (found in the working folder,
        # or --config FILE, or $MIGRATE_CONFIG). A flag on the command line wins over a MIGRATE_* environment variable
        # (MIGRATE_SOURCE_ENDPOINT, MIGRATE_KAFKA_TOPIC, ...: the key in capitals, dots as underscores), which wins
        # over this file. Passwords are never written here: name the environment variable or the file holding one.
        # Relative paths are relative to this file's folder. Check it with: ./migrate config check

        source:
          endpoint: http://localhost:9200      # --source
          # version: ES 7.10.2                 # what the source should be; ./migrate status checks it
          # auth: basic                        # none | basic | sigv4 (Amazon OpenSearch Service, Serverless)
          # user: migration                    # with auth: basic
          # password_env: SOURCE_PASSWORD      # the environment variable holding the password, or:
          # password_file: secrets/source.pw   # a file only you can read
          # region: eu-west-1                  # with auth: sigv4 (default: AWS_REGION or the profile's)
          # service: es                        # with auth: sigv4: es (a domain) or aoss (Serverless)
          # ca_cert: certs/source-ca.pem       # CA certificate(s) to trust
          # insecure: false                    # true turns TLS verification off (explicitly)

        target:
          endpoint: http://localhost:9201      # --target
          # version: OS 2.19.1
          # auth: basic
          # user: admin
          # password_env: TARGET_PASSWORD

        # snapshot:
        #   repository: /snapshots/repo        # --repo: a folder the source writes to (path.repo), or s3://bucket/prefix
        #   name: migration-1                  # --snapshot
        #   s3:
        #     region: eu-west-1                # --s3-region
        #     endpoint: http://127.0.0.1:9000  # --s3-endpoint: an S3-compatible store

        # kafka:
        #   bootstrap: localhost:9092          # --kafka
        #   topic: capture                     # --topic: the capture topic

        # proxy:
        #   listen: 0.0.0.0:9200               # --listen: where clients connect to the capture proxy
        #   admin: 127.0.0.1:9901              # its /health, /metrics and /mode (proxy start --admin); status and
        #                                      # proxy switch use it. proxy start takes target: as the switchover target

        # flink:
        #   master: localhost:8081             # --flink-master: a Flink session cluster's REST address

        # state_dir: state                     # the migration's own state (default: $MIGRATE_HOME/state); reset removes it
        # reports_dir: reports                 # validation reports and history (validate --history); reset keeps it
        """;
  }
}
