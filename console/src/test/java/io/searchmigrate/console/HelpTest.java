package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command, at every depth, answers --help with its usage. */
class HelpTest {
  @Test
  void everyCommandHasHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(new CommandLine(new Migrate()), new ArrayList<>(), paths);
    assertTrue(paths.size() > 20, "commands found: " + paths);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      ConsoleRun run = ConsoleRun.of(args.toArray(new String[0]));
      assertEquals(0, run.exitCode, () -> String.join(" ", args) + "\n" + run);
      assertTrue(run.out.startsWith("Usage: migrate"), () -> String.join(" ", args) + "\n" + run);
    }
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
    into.add(path);
    command.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> deeper = new ArrayList<>(path);
        deeper.add(name);
        collect(sub, deeper, into);
      }
    });
  }
}
