package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.testkit.Fixtures;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** migration.yaml: parsing, flag over environment over file, secrets never shown, errors that name the line. */
class MigrationConfigTest {
  @TempDir
  Path dir;

  @Test
  void initWritesACommentedExampleThatChecksAndIsNotOverwritten() throws IOException {
    ConsoleRun init = ConsoleRun.in(Map.of(), dir, "config", "init");
    assertEquals(0, init.exitCode, init::toString);
    Path file = dir.resolve("migration.yaml");
    String example = Files.readString(file);
    assertTrue(example.startsWith("# migration.yaml: the settings of one migration"), example);
    assertTrue(example.contains("# password_env: SOURCE_PASSWORD"), example);

    ConsoleRun again = ConsoleRun.in(Map.of(), dir, "config", "init");
    assertEquals(Migrate.USER_ERROR, again.exitCode);
    assertEquals("error: " + file + " exists already; keep it, or pass --force to write the example over it\n", again.err);
    Files.writeString(file, "source: [broken\n");
    assertEquals(0, ConsoleRun.in(Map.of(), dir, "config", "init", "--force").exitCode, "--force writes over a broken file");
    assertEquals(example, Files.readString(file));

    ConsoleRun check = ConsoleRun.in(Map.of(), dir, "config", "check");
    assertEquals(0, check.exitCode, check::toString);
    assertEquals(file + ": OK (2 setting(s))\n", check.out);
  }

  @Test
  void everyKeyIsReadAndRelativePathsAreFromTheFilesFolder() throws IOException {
    Path file = write("m.yaml", """
        source:
          endpoint: https://source.example:9200
          version: ES 7.10.2
          auth: basic
          user: migrator
          password_file: secrets/source.pw
          ca_cert: certs/ca.pem
          insecure: false
        target:
          endpoint: https://search-x.eu-west-1.es.amazonaws.com
          auth: SigV4
          region: eu-west-1
          service: es
        snapshot:
          repository: s3://bucket/migration
          name: snap-1
          s3:
            region: eu-west-1
        kafka:
          bootstrap: localhost:9092
          topic: capture
        proxy:
          listen: 0.0.0.0:9200
        flink:
          master: localhost:8081
        state_dir: state
        reports_dir: /var/reports
        """);
    ConsoleRun show = ConsoleRun.in(Map.of(), dir, "config", "show", "--config", file.toString());
    assertEquals(0, show.exitCode, show::toString);
    assertEquals(String.join("\n",
        "# configuration file: " + file + " (flags win over MIGRATE_* variables, which win over the file)",
        "source:",
        "  endpoint: https://source.example:9200            # " + file + " line 2",
        "  version: 'ES 7.10.2'                             # " + file + " line 3",
        "  auth: basic                                      # " + file + " line 4",
        "  user: migrator                                   # " + file + " line 5",
        pad("  password_file: " + dir.resolve("secrets/source.pw")) + " # " + file + " line 6 (NOT READABLE)",
        pad("  ca_cert: " + dir.resolve("certs/ca.pem")) + " # " + file + " line 7",
        "  insecure: false                                  # " + file + " line 8",
        "target:",
        "  endpoint: https://search-x.eu-west-1.es.amazonaws.com # " + file + " line 10",
        "  auth: sigv4                                      # " + file + " line 11",
        "  region: eu-west-1                                # " + file + " line 12",
        "  service: es                                      # " + file + " line 13",
        "snapshot:",
        "  repository: s3://bucket/migration                # " + file + " line 15",
        "  name: snap-1                                     # " + file + " line 16",
        "  s3:",
        "    region: eu-west-1                              # " + file + " line 18",
        "kafka:",
        "  bootstrap: localhost:9092                        # " + file + " line 20",
        "  topic: capture                                   # " + file + " line 21",
        "proxy:",
        "  listen: 0.0.0.0:9200                             # " + file + " line 23",
        "flink:",
        "  master: localhost:8081                           # " + file + " line 25",
        pad("state_dir: " + dir.resolve("state")) + " # " + file + " line 26",
        "reports_dir: /var/reports                          # " + file + " line 27",
        ""), show.out);
  }

  @Test
  void aFlagWinsOverTheEnvironmentWhichWinsOverTheFile() throws IOException {
    int fromFile = closedPort();
    int fromEnv = closedPort();
    int fromFlag = closedPort();
    write("migration.yaml", "target:\n  endpoint: http://127.0.0.1:" + fromFile + "\nkafka:\n  topic: file-topic\n");
    Map<String, String> env = Map.of("MIGRATE_TARGET_ENDPOINT", "http://127.0.0.1:" + fromEnv);

    ConsoleRun show = ConsoleRun.in(env, dir, "config", "show");
    assertTrue(show.out.contains("\ntarget:\n  endpoint: http://127.0.0.1:" + fromEnv + " ")
        && show.out.contains("# env MIGRATE_TARGET_ENDPOINT\n"), show::toString);
    assertTrue(show.out.contains("\n  topic: file-topic "), "the file fills what the environment leaves: " + show);
    ConsoleRun flag = ConsoleRun.in(env, dir, "config", "show", "--target", "http://127.0.0.1:" + fromFlag);
    assertTrue(flag.out.contains("\n  endpoint: http://127.0.0.1:" + fromFlag + " ") && flag.out.contains("# flag --target\n"),
        flag::toString);

    // the same order in a command that works on the target
    ConsoleRun fileOnly = ConsoleRun.in(Map.of(), dir, "clusters", "check");
    assertEquals(Migrate.RUN_FAILED, fileOnly.exitCode, fileOnly::toString);
    assertTrue(fileOnly.out.startsWith("CLUSTER STATE DETAILS\ntarget  FAIL  http://127.0.0.1:" + fromFile + ": cannot reach"),
        fileOnly::toString);
    ConsoleRun envOverFile = ConsoleRun.in(env, dir, "clusters", "check");
    assertTrue(envOverFile.out.startsWith("CLUSTER STATE DETAILS\ntarget  FAIL  http://127.0.0.1:" + fromEnv + ": cannot reach"),
        envOverFile::toString);
    ConsoleRun flagOverEnv = ConsoleRun.in(env, dir, "clusters", "check", "--target", "http://127.0.0.1:" + fromFlag);
    assertTrue(flagOverEnv.out.startsWith("CLUSTER STATE DETAILS\ntarget  FAIL  http://127.0.0.1:" + fromFlag + ": cannot reach"),
        flagOverEnv::toString);

    // MIGRATE_CONFIG names a file elsewhere; --config wins over it
    Path other = write("other.yaml", "kafka:\n  topic: other-topic\n");
    Path third = write("third.yaml", "kafka:\n  topic: third-topic\n");
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    assertTrue(ConsoleRun.in(Map.of("MIGRATE_CONFIG", other.toString()), elsewhere, "config", "show").out
        .contains("\n  topic: other-topic "));
    assertTrue(ConsoleRun.in(Map.of("MIGRATE_CONFIG", other.toString()), elsewhere, "config", "show", "--config", third.toString())
        .out.contains("\n  topic: third-topic "));
  }

  @Test
  void passwordsAreNeverShownOnlyWhereTheyComeFrom() throws IOException {
    Path file = write("migration.yaml", """
        source:
          endpoint: http://localhost:9200
          auth: basic
          user: migrator
          password_env: SOURCE_PW
        snapshot:
          repository: s3://bucket/p
          s3:
            endpoint: http://access:s3cret-in-url@127.0.0.1:9000
        """);
    ConsoleRun show = ConsoleRun.in(Map.of("SOURCE_PW", "hunter2-secret"), dir, "config", "show");
    assertEquals(0, show.exitCode, show::toString);
    assertFalse(show.out.contains("hunter2") || show.out.contains("s3cret"), show::toString);
    assertTrue(show.out.contains("\n" + pad("  password_env: SOURCE_PW") + " # " + file + " line 5 (set; its value is not "
        + "shown)\n"), show::toString);
    assertTrue(show.out.contains("\n    endpoint: http://access:***@127.0.0.1:9000 "), show::toString);
    ConsoleRun unset = ConsoleRun.in(Map.of(), dir, "config", "show");
    assertTrue(unset.out.contains(" (NOT SET in this environment)\n"), unset::toString);

    write("migration.yaml", "source:\n  endpoint: http://localhost:9200\n  user: migrator\n  password: hunter2\n");
    ConsoleRun refused = ConsoleRun.in(Map.of(), dir, "clusters", "check");
    assertEquals(Migrate.USER_ERROR, refused.exitCode);
    assertEquals("error: " + file + " line 4, column 3: 'source.password': a password is never written in migration.yaml "
        + "(anyone who reads the file or its copies would have it). Put it in an environment variable and name it: "
        + "source.password_env: VAR, or in a file only you can read: source.password_file: PATH\n", refused.err);
    assertFalse(refused.err.contains("hunter2") || refused.out.contains("hunter2"));
  }

  @Test
  void errorsNameTheLineAndColumn() throws IOException {
    Path file = dir.resolve("migration.yaml");
    assertError("source:\n  endpoint: http://localhost:9200\n  pasword_env: X\n", file + " line 3, column 3: unknown key "
        + "'source.pasword_env'; known keys under 'source': endpoint, version, auth, user, password_env, password_file, "
        + "region, service, ca_cert, insecure");
    assertError("kafka:\n  topic: t\nreplay: {}\n", file + " line 3, column 1: unknown key 'replay'; known keys: source, "
        + "target, snapshot, kafka, proxy, flink, state_dir, reports_dir");
    assertError("source:\n  endpoint: http://localhost:9200\n  insecure: maybe\n", file + " line 3, column 13: "
        + "'source.insecure' expects true or false, found a text value 'maybe'");
    assertError("target: http://localhost:9200\n", file + " line 1, column 9: 'target' holds keys (known keys under "
        + "'target': endpoint, version, auth, user, password_env, password_file, region, service, ca_cert, insecure), found "
        + "a text value");
    assertError("kafka:\n  bootstrap:\n    - a:9092\n    - b:9092\n", file + " line 3, column 5: 'kafka.bootstrap' expects a "
        + "text value, found a list");
    assertError("source:\n  auth: kerberos\n", file + " line 2, column 9: 'source.auth' expects one of none, basic, sigv4, "
        + "found 'kerberos'");
    assertError("source:\n  endpoint: localhost:9200\n", file + " line 2, column 13: 'source.endpoint' expects an http:// or "
        + "https:// URL, found 'localhost:9200'");
    assertError("kafka:\n  topic: a\n  topic: b\n", file + " line 3, column 3: 'kafka.topic' is given twice; keep one");
    write("migration.yaml", "kafka:\n  topic: \"unclosed\n");
    ConsoleRun broken = ConsoleRun.in(Map.of(), dir, "kafka", "topics");
    assertEquals(Migrate.USER_ERROR, broken.exitCode);
    assertEquals("error: " + file + " line 2, column 8: not valid YAML: while scanning a quoted scalar; found unexpected end "
        + "of stream\n", broken.err);

    // what does not fit together, found by config check with the line of each
    write("migration.yaml", "source:\n  endpoint: http://localhost:9200\n  auth: sigv4\n  user: me\n"
        + "target:\n  endpoint: http://localhost:9201\n  version: OS two\n  region: eu-west-1\n");
    ConsoleRun check = ConsoleRun.in(Map.of(), dir, "config", "check");
    assertEquals(Migrate.USER_ERROR, check.exitCode);
    assertEquals(file + ": 3 problem(s)\n"
        + "  " + file + " line 4, column 9: 'source.user' goes with basic auth, but source.auth is sigv4 (AWS credentials "
        + "from the default chain); keep one of them\n"
        + "  " + file + " line 8, column 11: 'target.region' goes with auth: sigv4\n"
        + "  " + file + " line 7, column 12: 'target.version': 'OS two' is not a version; expected for example 'ES 7.10.2' or "
        + "'OS 2.19.1'\n", check.err);
    ConsoleRun env = ConsoleRun.in(Map.of("MIGRATE_SOURCE_INSECURE", "yes"), dir, "config", "show");
    assertEquals("error: environment variable MIGRATE_SOURCE_INSECURE: 'source.insecure' expects true or false, found 'yes'\n",
        env.err);
    ConsoleRun missing = ConsoleRun.in(Map.of(), dir, "status", "--config", dir.resolve("nope.yaml").toString());
    assertEquals("error: configuration file " + dir.resolve("nope.yaml") + " (--config) does not exist; write one with: "
        + "./migrate config init --config " + dir.resolve("nope.yaml") + "\n", missing.err);
  }

  @Test
  void aCommandReadingASnapshotOrALiveSourceTakesTheConfiguredSnapshotUnlessTheSourceIsTyped() throws IOException {
    Path repo = Fixtures.snapshot("ES_7_10_Single");
    int closed = closedPort();
    write("migration.yaml", "source:\n  endpoint: http://127.0.0.1:" + closed + "\nsnapshot:\n  repository: " + repo
        + "\n  name: global_state_snapshot\n");
    ConsoleRun fromSnapshot = ConsoleRun.in(Map.of(), dir, "assess", "--target-version", "OS 2.19.1", "--output", "json");
    assertEquals(0, fromSnapshot.exitCode, fromSnapshot::toString);
    assertTrue(fromSnapshot.out.contains("\"posts_2024_01_01\""), fromSnapshot::toString);
    ConsoleRun live = ConsoleRun.in(Map.of(), dir, "assess", "--target-version", "OS 2.19.1", "--source",
        "http://127.0.0.1:" + closed);
    assertEquals(Migrate.USER_ERROR, live.exitCode, "the typed source is read: " + live);
    assertTrue(live.err.contains("127.0.0.1:" + closed), live::toString);
  }

  @Test
  void everyKeyFillsAFlagThatCommandsHave() {
    picocli.CommandLine root = new picocli.CommandLine(new Migrate());
    java.util.Set<String> flags = new java.util.TreeSet<>();
    java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      picocli.CommandLine command = todo.pop();
      command.getCommandSpec().options().forEach(o -> flags.add(o.longestName()));
      todo.addAll(command.getSubcommands().values());
    }
    for (Map.Entry<String, String> mapping : ConfigDefaults.FLAGS.entrySet()) {
      assertTrue(flags.contains(mapping.getKey()), "no command has " + mapping.getKey());
      assertTrue(MigrationConfig.KEYS.stream().anyMatch(k -> k.name().equals(mapping.getValue())), mapping::toString);
    }
    java.util.Set<String> filled = new java.util.HashSet<>(ConfigDefaults.FLAGS.values());
    for (MigrationConfig.Key key : MigrationConfig.KEYS) {
      assertTrue(filled.contains(key.name()) || key.name().endsWith(".version"), key.name() + " fills no flag");
    }
  }

  @Test
  void aConfiguredFlinkMasterIsForTheFlinkRunnerOnly() throws IOException {
    Path repo = Fixtures.snapshot("ES_7_10_Single");
    int target = closedPort();
    write("migration.yaml", "target:\n  endpoint: http://127.0.0.1:" + target + "\nsnapshot:\n  repository: " + repo
        + "\nflink:\n  master: 127.0.0.1:" + closedPort() + "\n");
    ConsoleRun direct = ConsoleRun.in(Map.of(), dir, "backfill", "--snapshot", "nightly");
    assertEquals(Migrate.USER_ERROR, direct.exitCode, direct::toString);
    assertEquals("error: cannot reach http://127.0.0.1:" + target + ": connection refused. Is the cluster running, and is the "
        + "port right?\n", direct.err, "past the runner's checks (no --flink-master without --runner flink) to the target");
  }

  private void assertError(String yaml, String message) throws IOException {
    write("migration.yaml", yaml);
    for (String[] command : new String[][] {{"config", "check"}, {"clusters", "check"}}) {
      ConsoleRun run = ConsoleRun.in(Map.of(), dir, command);
      assertEquals(Migrate.USER_ERROR, run.exitCode, run::toString);
      assertEquals("error: " + message + "\n", run.err);
    }
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static String pad(String line) {
    return String.format("%-50s", line);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
