package io.searchmigrate.console;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Fills the flags every command already has ({@code --source}, {@code --kafka}, {@code --repo}, ...) from the
 * configuration when they are not on the command line, so a flag always wins over {@code MIGRATE_*} variables, which
 * win over {@code migration.yaml}. There is no second set of options: each key names the flag it stands for.
 *
 * <pre>{@code
 * CommandLine cli = new CommandLine(new Migrate());
 * cli.setDefaultValueProvider(new ConfigDefaults(MigrationConfig.find(null, System.getenv(), Path.of(""))));
 * }</pre>
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
  /** Flag → configuration key. */
  static final Map<String, String> FLAGS;

  static {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String role : new String[] {"source", "target"}) {
      flags.put("--" + role, role + ".endpoint");
      flags.put("--" + role + "-user", role + ".user");
      flags.put("--" + role + "-password-env", role + ".password_env");
      flags.put("--" + role + "-password-file", role + ".password_file");
      flags.put("--" + role + "-ca-cert", role + ".ca_cert");
      flags.put("--" + role + "-insecure", role + ".insecure");
      flags.put("--" + role + "-auth", role + ".auth");
      flags.put("--" + role + "-region", role + ".region");
      flags.put("--" + role + "-service", role + ".service");
    }
    flags.put("--repo", "snapshot.repository");
    flags.put("--repo-path", "snapshot.repository");
    flags.put("--snapshot", "snapshot.name");
    flags.put("--s3-region", "snapshot.s3.region");
    flags.put("--s3-endpoint", "snapshot.s3.endpoint");
    flags.put("--kafka", "kafka.bootstrap");
    flags.put("--topic", "kafka.topic");
    flags.put("--listen", "proxy.listen");
    flags.put("--flink-master", "flink.master");
    flags.put("--proxy-admin", "proxy.admin");
    flags.put("--history", "reports_dir");
    flags.put("--state-dir", "state_dir");
    FLAGS = Map.copyOf(flags);
  }

  private final MigrationConfig config;

  ConfigDefaults(MigrationConfig config) {
    this.config = config;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.command() == null || !usesConfiguration(option.command())) {
      return null;
    }
    String key = FLAGS.get(option.longestName());
    if (key == null) {
      return null;
    }
    String value = config.get(key);
    if (value == null) {
      return null;
    }
    boolean s3 = value.startsWith("s3://");
    if (option.longestName().equals("--repo-path") && s3) {
      return null; // snapshot create: a folder goes to --repo-path, an s3:// location to --repo
    }
    if (option.longestName().equals("--repo") && option.command().findOption("--repo-path") != null && !s3) {
      return null;
    }
    if (key.endsWith(".auth") && value.equals("none")) {
      return null;
    }
    return value;
  }

  /** The demo provisions clusters of its own; everything else works on the configured migration. */
  static boolean usesConfiguration(CommandSpec command) {
    for (CommandSpec c = command; c != null; c = c.parent()) {
      if (c.name().equals("demo") && c.parent() != null && c.parent().parent() == null) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code flag} was typed on the command line (not filled from the configuration). */
  static boolean typed(CommandSpec command, String flag) {
    CommandLine.ParseResult result = command.commandLine().getParseResult();
    return result != null && result.hasMatchedOption(flag);
  }
}
