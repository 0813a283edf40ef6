package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Commands refuse passwords where process lists would show them, and say how to pass them instead. */
class SecretsOffCommandLinesTest {
  @Test
  void aPasswordInAClusterUrlIsRefusedByEveryCommandBeforeAnythingRuns() {
    ConsoleRun backfill = ConsoleRun.of("backfill", "--repo", "/nonexistent", "--snapshot", "s",
        "--target", "https://admin:hunter2@localhost:9200");
    assertEquals(2, backfill.exitCode, backfill::toString);
    assertEquals("error: the target URL https://****@localhost:9200 carries a password; a command line shows it to every user "
        + "of this machine. Pass --target without it, with --target-user NAME and --target-password-env VAR (an environment "
        + "variable holding the password) or --target-password-file FILE\n", backfill.err);

    ConsoleRun assess = ConsoleRun.of("assess", "--source", "http://elastic:hunter2@127.0.0.1:9", "--target-version", "OS 2.19.1");
    assertEquals(2, assess.exitCode, assess::toString);
    assertEquals("error: the source URL http://****@127.0.0.1:9 carries a password; a command line shows it to every user "
        + "of this machine. Pass --source without it, with --source-user NAME and --source-password-env VAR (an environment "
        + "variable holding the password) or --source-password-file FILE\n", assess.err);
    assertFalse((assess.out + assess.err).contains("hunter2"), assess::toString);
  }

  @Test
  void kafkaPropertiesReadSecretsFromTheEnvironmentAndSayWhichOneIsMissing() {
    ConsoleRun dump = ConsoleRun.of("kafka", "dump", "--kafka", "127.0.0.1:1", "--topic", "t",
        "--kafka-property", "ssl.keystore.password=env:NO_SUCH_VARIABLE_K1");
    assertEquals(2, dump.exitCode, dump::toString);
    assertEquals("error: --kafka-property ssl.keystore.password: environment variable NO_SUCH_VARIABLE_K1 is not set; export it "
        + "with the password, or use a password file\n", dump.err);
  }
}
