package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import java.io.Console;

/**
 * Asks a person at a terminal to confirm a destructive step. Without a terminal (a script, a pipe, CI) nobody can
 * answer, so the step is refused and the error says to pass {@code --yes}.
 */
final class Confirmation {
  private Confirmation() {}

  /** The answer typed at the terminal (the prompt was already printed), or a UserError when there is no terminal. */
  static String ask() {
    Console console = System.console();
    if (console == null) {
      throw new UserError("not asking for confirmation without a terminal; pass --yes to go on");
    }
    return console.readLine();
  }
}
