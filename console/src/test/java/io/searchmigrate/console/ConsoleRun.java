package io.searchmigrate.console;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs one {@code migrate} command line in this JVM and keeps what it printed. */
final class ConsoleRun {
  final int exitCode;
  final String out;
  final String err;

  private ConsoleRun(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  static ConsoleRun of(String... args) {
    return in(System.getenv(), Path.of(""), args);
  }

  /** Runs with this environment (MIGRATE_* variables) and working folder (where migration.yaml is looked for). */
  static ConsoleRun in(Map<String, String> env, Path workingDir, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Migrate.execute(new PrintWriter(out, true), new PrintWriter(err, true), env, workingDir, args);
    ConsoleRun run = new ConsoleRun(code, out.toString(), err.toString());
    System.out.println("$ migrate " + String.join(" ", args) + "\n" + run.err + run.out + "(exit " + code + ")");
    assertNoUrlTurnedIntoFolders();
    return run;
  }

  /**
   * A URL taken for a path ({@code Path.of("s3://bucket/x")} is {@code s3:/bucket/x}) leaves a folder named after its
   * scheme in the working directory: no command may do that.
   */
  static void assertNoUrlTurnedIntoFolders() {
    for (String scheme : List.of("s3:", "http:", "https:")) {
      if (Files.exists(Path.of(scheme))) {
        throw new AssertionError("a URL was used as a local path: " + Path.of(scheme).toAbsolutePath() + " was created");
      }
    }
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
