package io.searchmigrate.launcher;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one record of every background process the project starts (clusters, Kafka brokers, capture proxies):
 * where its state lives, how a start is recorded, how to find and list what runs, the "already running" check
 * and the stop by PID. The launchers ({@link LocalClusters}, {@link LocalKafka}, {@link LocalProxies}) start
 * their processes and go through it for everything else.
 *
 * <pre>{@code
 * ProcessSupervisor supervisor = new ProcessSupervisor(ProcessSupervisor.defaultHome(), System.out::println);
 * supervisor.requireNotRunning(ProcessKind.PROXY, "proxy");
 * Process p = supervisor.startJava(ProcessKind.PROXY, "proxy", jvmOptions, classPath, mainClass, args, log);
 * supervisor.record(new SupervisedProcess(ProcessKind.PROXY, "proxy", p.pid(), supervisor.javaMarker(ProcessKind.PROXY, "proxy"), ...));
 * supervisor.listAll().forEach(...);
 * supervisor.stop(ProcessKind.PROXY, "proxy", Duration.ofSeconds(90));
 * }</pre>
 *
 * <p>State: {@code <home>/<kind folder>/<name>/process.json}, one JSON object per process (kind, name, pid,
 * marker, log, address, ports, attributes), kept after a stop so a restart can reuse its ports. A process counts
 * as running only while its PID is alive and its command line carries the recorded marker.
 */
public final class ProcessSupervisor {
  public static final String STATE_FILE = "process.json";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Path home;
  private final Consumer<String> log;

  public ProcessSupervisor(Path home, Consumer<String> log) {
    this.home = home;
    this.log = log;
  }

  /** $MIGRATE_HOME, else /var/cache/search-migrate for root (the cluster user must reach it), else ~/.cache/search-migrate. */
  public static Path defaultHome() {
    String configured = System.getenv("MIGRATE_HOME");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    if (LocalClusters.isRoot()) {
      return Path.of("/var/cache/search-migrate");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "search-migrate");
  }

  public Path home() {
    return home;
  }

  /** The folder of the process {@code name} of this kind, {@code <home>/<kind folder>/<name>}, once the name is checked. */
  public Path dir(ProcessKind kind, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new UserError(kind.noun() + " name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
    }
    return home.resolve(kind.folder()).resolve(name);
  }

  /**
   * The marker of a Java process started by {@link #startJava}: a system property naming its folder. The trailing
   * slash keeps the marker of 'p' out of the command line of 'p2'.
   */
  public String javaMarker(ProcessKind kind, String name) {
    return "-Dsearchmigrate.process=" + dir(kind, name) + "/";
  }

  /**
   * Starts {@code java <marker> jvmOptions... -cp classPath mainClass args...} in the background, output appended
   * to {@code logFile}. Record it with {@link #javaMarker} as its marker once its PID is known.
   */
  public Process startJava(ProcessKind kind, String name, List<String> jvmOptions, String classPath, String mainClass,
      List<String> args, Path logFile) {
    List<String> jvm = new ArrayList<>();
    jvm.add(javaMarker(kind, name));
    jvm.addAll(jvmOptions);
    return LocalProcesses.startJava(jvm, classPath, mainClass, args, logFile);
  }

  /**
   * Throws the one "already running" error, which says how to stop it, when the process recorded under this kind
   * and name still runs. Otherwise returns what was recorded, if anything (a restart may reuse its ports).
   */
  public Optional<SupervisedProcess> requireNotRunning(ProcessKind kind, String name) {
    Optional<SupervisedProcess> previous = find(kind, name);
    if (previous.isPresent() && previous.get().isRunning()) {
      SupervisedProcess p = previous.get();
      throw new UserError(kind.noun() + " '" + name + "' is already running at " + p.address() + " (pid " + p.pid()
          + "); stop it first: " + kind.stopCommand(name));
    }
    return previous;
  }

  /** Records a started process in its folder's state file (written whole, then moved into place). */
  public SupervisedProcess record(SupervisedProcess process) {
    Path dir = dir(process.kind(), process.name());
    if (!process.dir().equals(dir)) {
      throw new IllegalArgumentException(process.kind().noun() + " '" + process.name() + "' belongs in " + dir + ", not "
          + process.dir());
    }
    try {
      Files.createDirectories(dir);
      Path partial = dir.resolve(STATE_FILE + ".part");
      Files.writeString(partial, Json.toPrettyString(process.toJson()));
      Files.move(partial, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UserError("cannot record " + process.kind().noun() + " '" + process.name() + "' in " + dir + ": " + e.getMessage(), e);
    }
    return process;
  }

  /** What was recorded under this kind and name, running or not. */
  public Optional<SupervisedProcess> find(ProcessKind kind, String name) {
    Path dir = dir(kind, name);
    Path state = dir.resolve(STATE_FILE);
    if (!Files.isRegularFile(state)) {
      return Optional.empty();
    }
    try {
      return Optional.of(SupervisedProcess.fromJson(Json.parse(Files.readAllBytes(state)), dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new UserError("cannot read " + state + " (" + e.getMessage() + "); if that " + kind.noun()
          + " no longer runs, delete the file", e);
    }
  }

  /** Every process of this kind recorded here, running or not, by name. */
  public List<SupervisedProcess> list(ProcessKind kind) {
    Path kindDir = home.resolve(kind.folder());
    List<SupervisedProcess> processes = new ArrayList<>();
    if (!Files.isDirectory(kindDir)) {
      return processes;
    }
    try (Stream<Path> entries = Files.list(kindDir)) {
      for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
        String name = entry.getFileName().toString();
        if (NAME.matcher(name).matches()) {
          find(kind, name).ifPresent(processes::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return processes;
  }

  /** Every process recorded here, of every kind (in {@link ProcessKind} order, then by name), running or not. */
  public List<SupervisedProcess> listAll() {
    List<SupervisedProcess> all = new ArrayList<>();
    for (ProcessKind kind : ProcessKind.values()) {
      all.addAll(list(kind));
    }
    return all;
  }

  /** The ports that running processes recorded here hold, so a new process is not given one of them. */
  public Set<Integer> portsInUse() {
    Set<Integer> ports = new TreeSet<>();
    listAll().stream().filter(SupervisedProcess::isRunning).forEach(p -> ports.addAll(p.ports().values()));
    return ports;
  }

  /** Stops the process recorded under this kind and name (see {@link #stop(SupervisedProcess, Duration)}); empty if none was. */
  public Optional<SupervisedProcess> stop(ProcessKind kind, String name, Duration grace) {
    Optional<SupervisedProcess> process = find(kind, name);
    process.ifPresent(p -> stop(p, grace));
    return process;
  }

  /**
   * Stops a recorded process if it still runs: SIGTERM, up to {@code grace} for it to exit, then SIGKILL. Says
   * which happened through the log. Returns false when it was not running (a PID that no longer carries the
   * marker belongs to someone else and is left alone).
   */
  public boolean stop(SupervisedProcess process, Duration grace) {
    String what = process.kind().noun() + " '" + process.name() + "'";
    if (process.isRunning() && terminate(process.pid(), grace, what, log)) {
      log.accept("stopped " + what + " (pid " + process.pid() + ")");
      return true;
    }
    log.accept(what + " was not running");
    return false;
  }

  /** True while {@code pid} is alive and its command line still contains {@code marker} (PIDs get reused). */
  /** Waits between readiness checks; an interrupt ends the wait with a user-facing error naming what was awaited. */
  static void pause(long millis, String awaiting) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while " + awaiting);
    }
  }

  static boolean isRunning(long pid, String marker) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    return process.isPresent() && process.get().isAlive() && ProcessCommandLine.of(pid).contains(marker);
  }

  /** SIGTERM, up to {@code grace} for the process to exit, then SIGKILL. Returns false when it was not alive. */
  private static boolean terminate(long pid, Duration grace, String what, Consumer<String> log) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (handle.isEmpty()) {
      return false;
    }
    ProcessHandle process = handle.get();
    process.destroy();
    try {
      process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (Exception stillAlive) {
      log.accept(what + " did not stop within " + grace.toSeconds() + " s of SIGTERM; killing pid " + pid);
      process.destroyForcibly();
      try {
        process.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // the kernel reaps it; nothing more to do from here
      }
    }
    return true;
  }
}
