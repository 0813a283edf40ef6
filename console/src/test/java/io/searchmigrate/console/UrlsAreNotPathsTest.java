package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * An S3 location given to an option that takes a local path is refused with a clear error, and no folder named
 * {@code s3:} appears in the working directory (picocli alone would turn s3://bucket/x into the path s3:/bucket/x).
 */
class UrlsAreNotPathsTest {
  @Test
  void everyPathOptionRefusesAnS3Location() {
    List<String> checked = new ArrayList<>();
    forEachPathOption(new CommandLine(new Migrate()), new ArrayList<>(), (command, option) -> {
      List<String> args = new ArrayList<>(command);
      args.add(option);
      args.add("s3://some-bucket/some/where");
      ConsoleRun run = ConsoleRun.of(args.toArray(new String[0]));
      assertEquals(CommandLine.ExitCode.USAGE, run.exitCode, () -> args + "\n" + run);
      assertTrue(run.err.contains("Invalid value for option '" + option + "': this option takes a local file or folder, not "
          + "'s3://some-bucket/some/where' (S3 locations work with --repo, backfill --dead-letter, replay --tuples and "
          + "--dead-letter, and the --in of tuples show and validate tuples); give a path on this "
          + "machine"), () -> args + "\n" + run);
      checked.add(String.join(" ", command) + " " + option);
    });
    assertTrue(checked.contains("assess --out") && checked.contains("validate backfill --differences"), checked::toString);
  }

  @Test
  void aDeadLetterUrlOtherThanS3IsRefused() {
    ConsoleRun run = ConsoleRun.of("backfill", "--repo", "/nowhere", "--snapshot", "s", "--target", "http://127.0.0.1:1",
        "--dead-letter", "https://example.com/dead-letters");
    assertEquals(Migrate.USER_ERROR, run.exitCode, run::toString);
    assertEquals("error: --dead-letter takes a local file or folder, not 'https://example.com/dead-letters'; give a path on "
        + "this machine\n", run.err, run::toString);
  }

  private interface PathOptionVisitor {
    void visit(List<String> command, String option);
  }

  private static void forEachPathOption(CommandLine command, List<String> path, PathOptionVisitor visitor) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (option.type() == Path.class) {
        visitor.visit(path, option.longestName());
      }
    }
    command.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> deeper = new ArrayList<>(path);
        deeper.add(name);
        forEachPathOption(sub, deeper, visitor);
      }
    });
  }
}
