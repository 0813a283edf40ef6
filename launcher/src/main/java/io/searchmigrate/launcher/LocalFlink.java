package io.searchmigrate.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.http.ClusterUnreachableException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Starts and stops a real Flink 1.19 session cluster on 127.0.0.1: one JobManager and N TaskManagers, each a separate
 * JVM run from the jars the {@code flink-local} module copies into its {@code target/lib} (STACK.md §1c), configured
 * by a folder holding {@code config.yaml} and {@code log4j.properties} ({@code runner-configs/flink} by default).
 *
 * <pre>{@code
 * LocalFlink flink = new LocalFlink(ProcessSupervisor.defaultHome(), System.out::println);
 * LocalFlink.Session session = flink.start(LocalFlink.Request.of("flink", LocalFlink.configDir(projectRoot)),
 *     LocalFlink.flinkLib(projectRoot));
 * ... --runner=FlinkRunner --flinkMaster=session.master() ...   // web UI at session.webUrl()
 * flink.stop("flink");
 * }</pre>
 *
 * <p>The configuration file is used as written; what must differ between clusters on one machine (the REST and RPC
 * ports, the slots per TaskManager, the temporary and checkpoint folders under {@code <home>/flink/<name>}) is passed
 * as {@code -D} dynamic properties. Each process is recorded by the {@link ProcessSupervisor}: the JobManager under the
 * cluster's name, TaskManager n under {@code <name>-taskmanager-<n>}.
 */
public final class LocalFlink {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final String RESOURCE_PARAMS_MAIN = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

  private final ProcessSupervisor supervisor;
  private final Consumer<String> log;

  public LocalFlink(Path home, Consumer<String> log) {
    this.supervisor = new ProcessSupervisor(home, log);
    this.log = log;
  }

  /**
   * What to start: the cluster's name, its configuration folder, how many TaskManagers with how many slots each
   * (0: the configuration's {@code taskmanager.numberOfTaskSlots}), and the REST port (0: a free one).
   */
  public record Request(String name, Path configDir, int taskManagers, int slots, int restPort) {
    public static Request of(String name, Path configDir) {
      return new Request(name, configDir, 1, 0, 0);
    }

    public Request withTaskManagers(int count) {
      return new Request(name, configDir, count, slots, restPort);
    }

    public Request withSlots(int perTaskManager) {
      return new Request(name, configDir, taskManagers, perTaskManager, restPort);
    }

    public Request withRestPort(int port) {
      return new Request(name, configDir, taskManagers, slots, port);
    }
  }

  /** A running session cluster: its JobManager and TaskManagers as recorded. */
  public record Session(SupervisedProcess jobManager, List<SupervisedProcess> taskManagers) {
    public String name() {
      return jobManager.name();
    }

    public int restPort() {
      return jobManager.port("rest");
    }

    /** What {@code --flinkMaster} / {@code --flink-master} take: host:port of the REST endpoint. */
    public String master() {
      return "localhost:" + restPort();
    }

    /** The web UI, which is also the REST API's base URL. */
    public String webUrl() {
      return "http://localhost:" + restPort();
    }

    public boolean isRunning() {
      return jobManager.isRunning();
    }
  }

  /** Where the build puts Flink's class path: {@code <project>/flink-local/target/lib}. */
  public static Path flinkLib(Path projectRoot) {
    return projectRoot.resolve("flink-local").resolve("target").resolve("lib");
  }

  /** The configuration the project ships for a local session cluster: {@code <project>/runner-configs/flink}. */
  public static Path configDir(Path projectRoot) {
    return projectRoot.resolve("runner-configs").resolve("flink");
  }

  /** Starts the JobManager, then the TaskManagers, and waits until the REST API lists them all. */
  public Session start(Request request, Path flinkLib) {
    if (request.taskManagers() < 1 || request.slots() < 0) {
      throw new UserError("a Flink session cluster needs at least one TaskManager and a positive number of slots; got "
          + request.taskManagers() + " TaskManager(s) with " + request.slots() + " slot(s)");
    }
    Path configFile = request.configDir().resolve("config.yaml");
    if (!Files.isRegularFile(configFile)) {
      throw new UserError("no Flink configuration at " + configFile + "; pass a folder holding config.yaml and "
          + "log4j.properties with --config-dir (runner-configs/flink is the project's)");
    }
    String name = request.name();
    Optional<SupervisedProcess> previous = supervisor.requireNotRunning(ProcessKind.FLINK, name);
    stopTaskManagers(name); // left over from a JobManager that died on its own
    String classPath = classPath(flinkLib);
    Set<Integer> taken = new HashSet<>(supervisor.portsInUse());
    int restPort = request.restPort() > 0 ? LocalProcesses.requireFreePort(request.restPort())
        : previous.map(p -> p.port("rest")).filter(p -> p > 0 && LocalProcesses.isPortFree(p))
            .orElseGet(() -> LocalProcesses.freePort(taken));
    taken.add(restPort);
    int rpcPort = LocalProcesses.freePort(taken);
    Path dir = supervisor.dir(ProcessKind.FLINK, name);
    Path tmp = dir.resolve("tmp");
    try {
      Files.createDirectories(tmp);
      Files.createDirectories(dir.resolve("checkpoints"));
    } catch (IOException e) {
      throw new UserError("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
    Map<String, String> dynamic = new LinkedHashMap<>();
    dynamic.put("rest.port", Integer.toString(restPort));
    dynamic.put("jobmanager.rpc.port", Integer.toString(rpcPort));
    dynamic.put("io.tmp.dirs", tmp.toString());
    dynamic.put("web.tmpdir", tmp.resolve("web").toString());
    dynamic.put("state.checkpoints.dir", dir.resolve("checkpoints").toUri().toString());
    if (request.slots() > 0) {
      dynamic.put("taskmanager.numberOfTaskSlots", Integer.toString(request.slots()));
    }
    long started = System.nanoTime();
    log.accept("starting Flink session cluster '" + name + "' (JobManager and " + request.taskManagers()
        + " TaskManager(s), configuration " + request.configDir() + ", REST on 127.0.0.1:" + restPort + ")");

    Map<String, Integer> jobManagerPorts = new LinkedHashMap<>();
    jobManagerPorts.put("rest", restPort);
    jobManagerPorts.put("rpc", rpcPort);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("role", "jobmanager");
    attributes.put("config", request.configDir().toAbsolutePath().toString());
    attributes.put("taskmanagers", Integer.toString(request.taskManagers()));
    SupervisedProcess jobManager = launch(name, name, "GET_JM_RESOURCE_PARAMS", JOB_MANAGER_MAIN, request.configDir(),
        classPath, javaOptions(configFile, "jobmanager"), dynamic, "http://localhost:" + restPort, jobManagerPorts, attributes);
    List<SupervisedProcess> taskManagers = new ArrayList<>();
    for (int n = 1; n <= request.taskManagers(); n++) {
      taskManagers.add(startTaskManager(name, n, request.configDir(), classPath,
          javaOptions(configFile, "taskmanager"), dynamic));
    }
    Session session = new Session(jobManager, taskManagers);
    awaitTaskManagers(session, request.taskManagers(), started + START_TIMEOUT.toNanos());
    log.accept(String.format("Flink session cluster '%s' is up after %.1f s: web UI and REST at %s (submit with "
        + "--flink-master %s)", name, (System.nanoTime() - started) / 1e9, session.webUrl(), session.master()));
    return session;
  }

  /**
   * Starts TaskManager {@code n} of a running cluster again (after a crash), with the cluster's recorded configuration,
   * and waits until the JobManager lists it.
   */
  public SupervisedProcess restartTaskManager(String name, int n, Path flinkLib) {
    Session session = find(name).filter(Session::isRunning)
        .orElseThrow(() -> new UserError("Flink session cluster '" + name + "' is not running; start it with ./migrate flink start-local"));
    Path configDir = Path.of(session.jobManager().attribute("config"));
    Map<String, String> dynamic = new LinkedHashMap<>();
    Path dir = session.jobManager().dir();
    dynamic.put("rest.port", Integer.toString(session.restPort()));
    dynamic.put("jobmanager.rpc.port", Integer.toString(session.jobManager().port("rpc")));
    dynamic.put("io.tmp.dirs", dir.resolve("tmp").toString());
    String slots = session.jobManager().attribute("slots");
    if (slots != null) {
      dynamic.put("taskmanager.numberOfTaskSlots", slots);
    }
    supervisor.requireNotRunning(ProcessKind.FLINK, taskManagerName(name, n));
    long started = System.nanoTime();
    SupervisedProcess taskManager = startTaskManager(name, n, configDir, classPath(flinkLib),
        javaOptions(configDir.resolve("config.yaml"), "taskmanager"), dynamic);
    List<SupervisedProcess> running = taskManagersOf(name).stream().filter(SupervisedProcess::isRunning).toList();
    awaitTaskManagers(new Session(session.jobManager(), running), running.size(), started + START_TIMEOUT.toNanos());
    return taskManager;
  }

  /** Stops the TaskManagers, then the JobManager (SIGTERM, then SIGKILL after 30 s). Empty if no such cluster was recorded. */
  public Optional<Session> stop(String name) {
    Optional<Session> session = find(name);
    stopTaskManagers(name);
    supervisor.stop(ProcessKind.FLINK, name, Duration.ofSeconds(30));
    return session;
  }

  /** The cluster recorded under this name, running or not. */
  public Optional<Session> find(String name) {
    return supervisor.find(ProcessKind.FLINK, name).filter(p -> "jobmanager".equals(p.attribute("role")))
        .map(jm -> new Session(jm, taskManagersOf(name)));
  }

  /** Every cluster recorded here, by name. */
  public List<Session> list() {
    return supervisor.list(ProcessKind.FLINK).stream().filter(p -> "jobmanager".equals(p.attribute("role")))
        .map(jm -> new Session(jm, taskManagersOf(jm.name()))).toList();
  }

  static String taskManagerName(String cluster, int n) {
    return cluster + "-taskmanager-" + n;
  }

  private List<SupervisedProcess> taskManagersOf(String name) {
    return supervisor.list(ProcessKind.FLINK).stream()
        .filter(p -> "taskmanager".equals(p.attribute("role")) && name.equals(p.attribute("cluster"))).toList();
  }

  private void stopTaskManagers(String name) {
    for (SupervisedProcess taskManager : taskManagersOf(name)) {
      if (taskManager.isRunning()) {
        supervisor.stop(taskManager, Duration.ofSeconds(30));
      }
    }
  }

  private SupervisedProcess startTaskManager(String cluster, int n, Path configDir, String classPath, List<String> javaOptions,
      Map<String, String> dynamic) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("role", "taskmanager");
    attributes.put("cluster", cluster);
    attributes.put("index", Integer.toString(n));
    Map<String, String> withId = new LinkedHashMap<>(dynamic);
    withId.put("taskmanager.resource-id", taskManagerName(cluster, n));
    return launch(cluster, taskManagerName(cluster, n), "GET_TM_RESOURCE_PARAMS", TASK_MANAGER_MAIN, configDir, classPath,
        javaOptions, withId, "127.0.0.1", Map.of(), attributes);
  }

  /**
   * Starts one Flink process: asks Flink's BashJavaUtils for the JVM memory flags and the derived dynamic properties
   * of this role (without them a TaskManager refuses to start), then runs the entry point with them.
   */
  private SupervisedProcess launch(String cluster, String name, String resourceCommand, String mainClass, Path configDir,
      String classPath, List<String> javaOptions, Map<String, String> dynamic, String address, Map<String, Integer> ports,
      Map<String, String> attributes) {
    Path dir = supervisor.dir(ProcessKind.FLINK, name);
    Path logFile = dir.resolve(name + ".log");
    List<String> dynamicArgs = new ArrayList<>();
    dynamic.forEach((key, value) -> dynamicArgs.addAll(List.of("-D", key + "=" + value)));
    List<String> resources = resourceParams(resourceCommand, configDir, classPath, dynamicArgs, dir);
    List<String> jvm = new ArrayList<>(Arrays.asList(resources.get(0).strip().split("\\s+")));
    jvm.addAll(javaOptions);
    jvm.add("-Dlog.file=" + logFile);
    jvm.add("-Dlog4j.configurationFile=" + configDir.toAbsolutePath().resolve("log4j.properties").toUri());
    List<String> args = new ArrayList<>(List.of("--configDir", configDir.toAbsolutePath().toString()));
    args.addAll(dynamicArgs);
    if (resources.size() > 1 && !resources.get(1).isBlank()) {
      args.addAll(Arrays.asList(resources.get(1).strip().split("\\s+")));
    }
    Process process = supervisor.startJava(ProcessKind.FLINK, name, jvm, classPath, mainClass, args, dir.resolve("stdout.log"));
    Map<String, String> recorded = new LinkedHashMap<>(attributes);
    if (dynamic.containsKey("taskmanager.numberOfTaskSlots")) {
      recorded.put("slots", dynamic.get("taskmanager.numberOfTaskSlots"));
    }
    return supervisor.record(new SupervisedProcess(ProcessKind.FLINK, name, process.pid(), supervisor.javaMarker(ProcessKind.FLINK, name),
        dir, logFile, address, ports, recorded));
  }

  /** Runs BashJavaUtils as Flink's start scripts do: its two result lines are the JVM flags and the dynamic properties. */
  private static List<String> resourceParams(String command, Path configDir, String classPath, List<String> dynamicArgs, Path dir) {
    List<String> args = new ArrayList<>(List.of(command, "--configDir", configDir.toAbsolutePath().toString()));
    args.addAll(dynamicArgs);
    Path output = dir.resolve("resource-params.log");
    try {
      Files.deleteIfExists(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process process = LocalProcesses.startJava(List.of("-Xmx128m"), classPath, RESOURCE_PARAMS_MAIN, args, output);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new UserError("Flink could not work out the memory of its processes from " + configDir.resolve("config.yaml")
            + ":\n" + LocalProcesses.tail(output, 20));
      }
      List<String> results = Files.readAllLines(output).stream().filter(l -> l.startsWith(RESULT_PREFIX))
          .map(l -> l.substring(RESULT_PREFIX.length())).toList();
      if (results.isEmpty()) {
        throw new UserError("Flink's BashJavaUtils printed no result:\n" + LocalProcesses.tail(output, 20));
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while preparing the Flink processes", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The JVM options the configuration gives one role, as Flink's own start scripts read them: {@code env.java.opts.all}
   * then {@code env.java.opts.jobmanager} or {@code env.java.opts.taskmanager}.
   */
  static List<String> javaOptions(Path configFile, String role) {
    List<String> options = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(configFile);
      for (String key : List.of("env.java.opts.all:", "env.java.opts." + role + ":")) {
        for (String line : lines) {
          if (line.startsWith(key)) {
            String value = line.substring(key.length()).strip().replaceAll("^\"|\"$", "");
            if (!value.isEmpty()) {
              options.addAll(Arrays.asList(value.split("\\s+")));
            }
          }
        }
      }
      return options;
    } catch (IOException e) {
      throw new UserError("cannot read " + configFile + ": " + e.getMessage(), e);
    }
  }

  private void awaitTaskManagers(Session session, int expected, long deadlineNanos) {
    while (System.nanoTime() < deadlineNanos) {
      if (!session.jobManager().isRunning()) {
        stop(session.name());
        throw new UserError("the Flink JobManager of '" + session.name() + "' exited during start-up.\n--- "
            + session.jobManager().log() + "\n" + LocalProcesses.tail(session.jobManager().log(), 30));
      }
      for (SupervisedProcess taskManager : session.taskManagers()) {
        if (!taskManager.isRunning()) {
          stop(session.name());
          throw new UserError("Flink TaskManager '" + taskManager.name() + "' exited during start-up.\n--- " + taskManager.log()
              + "\n" + LocalProcesses.tail(taskManager.log(), 30));
        }
      }
      Optional<JsonNode> overview = overview(session.webUrl());
      if (overview.isPresent() && overview.get().path("taskmanagers").asInt() >= expected) {
        return;
      }
      ProcessSupervisor.pause(500, "waiting for the Flink session cluster to start");
    }
    stop(session.name());
    throw new UserError("Flink session cluster '" + session.name() + "' did not list its " + expected + " TaskManager(s) within "
        + START_TIMEOUT.toSeconds() + " s.\n--- " + session.jobManager().log() + "\n" + LocalProcesses.tail(session.jobManager().log(), 30));
  }

  /** {@code GET /overview} of a cluster's REST API, or empty while it does not answer. */
  public static Optional<JsonNode> overview(String webUrl) {
    try {
      ClusterResponse response = ClusterClient.connect(ClusterEndpoint.of(webUrl)).get("/overview");
      return response.isSuccess() ? Optional.of(response.json()) : Optional.empty();
    } catch (ClusterUnreachableException notYet) {
      return Optional.empty();
    }
  }

  private static String classPath(Path flinkLib) {
    try (Stream<Path> jars = Files.isDirectory(flinkLib) ? Files.list(flinkLib) : Stream.empty()) {
      List<String> entries = jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted().toList();
      if (entries.stream().noneMatch(p -> p.contains("flink-runtime-"))) {
        throw new UserError("the Flink jars are not in " + flinkLib + "; build them with: mvn -B -DskipTests package -pl flink-local");
      }
      PinnedChecksums pins = PinnedChecksums.load();
      entries.forEach(jar -> pins.verifyJar(Path.of(jar)));
      return String.join(File.pathSeparator, entries);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
