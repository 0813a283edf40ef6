package io.searchmigrate.console;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every part of a migration as the flags the commands working on each part already take ({@code --source},
 * {@code --repo}, {@code --kafka}, ...), for the commands that look at the migration whole ({@code status},
 * {@code reset}, {@code config show}). Filled from the configuration by {@link ConfigDefaults} like any flag.
 */
final class MigrationFlags {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  @Mixin
  ClusterOptions.Source source;

  @Mixin
  ClusterOptions.Target target;

  @Option(names = "--repo", description = "snapshot repository folder or s3://bucket/prefix")
  String repo;

  @Option(names = "--snapshot", description = "snapshot name")
  String snapshot;

  @Mixin
  S3Flags s3;

  @Mixin
  KafkaToolsCommand.Connection kafka;

  @Option(names = "--topic", description = "the capture topic")
  String topic;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "where the capture proxy takes clients")
  String listen;

  @Option(names = "--proxy-admin", paramLabel = "HOST:PORT", description = "the capture proxy's /health and /metrics "
      + "(default: the one of the local proxy started by ./migrate proxy start)")
  String proxyAdmin;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT", description = "the Flink session cluster's REST address")
  String flinkMaster;

  @Option(names = "--history", paramLabel = "DIR", description = "the validation reports folder (validate --history)")
  Path history;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "the migration's own state (default: MIGRATE_HOME/state)")
  Path stateDir;

  /** Each configuration key's value in effect, flags first, with where it came from; unset keys are left out. */
  Map<String, MigrationConfig.Value> effective(MigrationConfig config) {
    Map<String, MigrationConfig.Value> values = new LinkedHashMap<>();
    for (MigrationConfig.Key key : MigrationConfig.KEYS) {
      String flag = ConfigDefaults.FLAGS.entrySet().stream()
          .filter(e -> e.getValue().equals(key.name()) && mixee.findOption(e.getKey()) != null)
          .map(Map.Entry::getKey).findFirst().orElse(null);
      if (flag != null && ConfigDefaults.typed(mixee, flag)) {
        Object value = mixee.findOption(flag).getValue();
        values.put(key.name(), new MigrationConfig.Value(String.valueOf(value), "flag " + flag, 0, 0));
      } else {
        config.value(key.name()).ifPresent(v -> values.put(key.name(), v));
      }
    }
    return values;
  }
}
