package io.searchmigrate.console;

import java.io.PrintWriter;
import java.io.StringWriter;

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
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Migrate.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    ConsoleRun run = new ConsoleRun(code, out.toString(), err.toString());
    System.out.println("$ migrate " + String.join(" ", args) + "\n" + run.err + run.out + "(exit " + code + ")");
    return run;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
