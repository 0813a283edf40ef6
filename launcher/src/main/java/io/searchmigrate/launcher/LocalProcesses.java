package io.searchmigrate.launcher;

import io.searchmigrate.common.UserError;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What every local launcher (clusters, Kafka, the capture proxy) needs to start a process: free loopback ports,
 * a Java child process with its output in a log file, the tail of a log for error messages, the project
 * checkout. Recording, finding and stopping them is the {@link ProcessSupervisor}'s.
 */
public final class LocalProcesses {
  /** Automatic ports start here; MIGRATE_PORT_BASE moves the range (for example to keep parallel test runs apart). */
  public static final int PORT_BASE = Integer.parseInt(System.getenv().getOrDefault("MIGRATE_PORT_BASE", "19200"));

  private LocalProcesses() {}

  /** True when nothing listens on 127.0.0.1:{@code port}. */
  public static boolean isPortFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first free port of the 100 from {@link #PORT_BASE}, skipping {@code taken}. */
  public static int freePort(Set<Integer> taken) {
    for (int port = PORT_BASE; port < PORT_BASE + 100; port++) {
      if (!taken.contains(port) && isPortFree(port)) {
        return port;
      }
    }
    throw new UserError("no free port between " + PORT_BASE + " and " + (PORT_BASE + 99) + "; pass one with --port");
  }

  public static int requireFreePort(int port) {
    if (!isPortFree(port)) {
      throw new UserError("port " + port + " on 127.0.0.1 is already in use; pick another with --port, or stop what listens there");
    }
    return port;
  }

  /** The {@code java} of the running JVM: child processes run on the same Java as their launcher. */
  public static Path javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * Starts {@code java jvmArgs... -cp classPath mainClass args...} in the background, in its own process,
   * with stdout and stderr appended to {@code logFile}.
   */
  public static Process startJava(List<String> jvmArgs, String classPath, String mainClass, List<String> args, Path logFile) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary().toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", classPath, mainClass));
    command.addAll(args);
    try {
      Files.createDirectories(logFile.getParent());
      return new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new UserError("cannot start " + mainClass + " with " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  /** The last {@code lines} lines of a log file, for error messages. */
  public static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")\n";
    }
  }

  /** The project checkout: the system property set by ./migrate and by the build, else derived from a jar's place. */
  public static Path projectRoot(Class<?> anchor) {
    String configured = System.getProperty("searchmigrate.projectRoot");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    try {
      // <root>/<module>/target/<jar or classes> -> <root>
      Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      return location.getParent().getParent().getParent();
    } catch (Exception e) {
      return Path.of(".").toAbsolutePath().normalize();
    }
  }
}
