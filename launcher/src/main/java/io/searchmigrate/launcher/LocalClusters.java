package io.searchmigrate.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterUnreachableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Starts and stops real single-node Elasticsearch and OpenSearch clusters on this machine, from the
 * distributions on Maven Central. Tests, the demo and users all provision their clusters through it.
 *
 * <pre>{@code
 * LocalClusters clusters = new LocalClusters(ProcessSupervisor.defaultHome(), System.out::println);
 * LocalCluster es = clusters.provision(ClusterRequest.of(Distribution.ELASTICSEARCH, "7.10.2").withPort(19200));
 * ... es.url() ...
 * clusters.stop(es.name());
 * }</pre>
 *
 * <p>Each cluster runs from its own unpacked copy under {@code <home>/clusters/<name>}, bound to 127.0.0.1,
 * with {@code discovery.type=single-node}, and is recorded by the {@link ProcessSupervisor}. When run as root
 * it runs as the unprivileged user {@value #RUN_AS_USER}, created on first use: both engines refuse to run as
 * root.
 */
public final class LocalClusters {
  public static final String RUN_AS_USER = "searchmigrate";
  private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Path home;
  private final MavenCentral maven;
  private final ProcessSupervisor supervisor;
  private final Consumer<String> log;

  public LocalClusters(Path home, Consumer<String> log) {
    this.home = home;
    this.maven = new MavenCentral(home.resolve("downloads"));
    this.supervisor = new ProcessSupervisor(home, log);
    this.log = log;
  }

  public Path home() {
    return home;
  }

  /** Downloads (if needed), unpacks, configures and starts a cluster, and waits until it is healthy. */
  public LocalCluster provision(ClusterRequest request) {
    String version = request.version();
    if (!VERSION.matcher(version).matches()) {
      throw new UserError("version '" + version + "' should look like 7.10.2");
    }
    Distribution distribution = request.distribution();
    String name = request.name() != null ? request.name() : distribution.shortName() + "-" + version;
    Path clusterDir = supervisor.dir(ProcessKind.CLUSTER, name);
    supervisor.requireNotRunning(ProcessKind.CLUSTER, name);
    Path dist = clusterDir.resolve("dist");
    Path pidFile = dist.resolve("pid");
    // the folder is wiped below: never under a node that runs without a record (an earlier build, a lost state file)
    long unrecorded = readPid(pidFile);
    if (unrecorded > 0 && ProcessSupervisor.isRunning(unrecorded, dist.toString())) {
      throw new UserError("a node (pid " + unrecorded + ") still runs from " + dist + " but no running cluster '" + name
          + "' is recorded; stop it (kill " + unrecorded + "), then provision again");
    }
    int major = Integer.parseInt(version.substring(0, version.indexOf('.')));
    if (request.withModules() && distribution != Distribution.OPENSEARCH) {
      throw new UserError("--with-modules adds OpenSearch modules; Elasticsearch " + version + " is not OpenSearch");
    }
    Path javaHome = javaHomeFor(distribution, major, version);
    int port = request.port() > 0 ? LocalProcesses.requireFreePort(request.port()) : freePort();

    long started = System.nanoTime();
    Path zip = maven.fetch(distribution.groupId(), distribution.artifactId(), version, "zip");
    Path pathRepo = request.pathRepo() != null ? request.pathRepo().toAbsolutePath()
        : home.resolve("snapshot-repos").resolve(name);
    try {
      deleteRecursively(clusterDir);
      Files.createDirectories(clusterDir);
      unzipStrippingRoot(zip, dist);
      applyVersionFixes(distribution, major, dist);
      if (request.withModules()) {
        log.accept("assembling modules " + OpenSearchModules.names() + " from Maven Central jars");
        OpenSearchModules.install(dist, version, maven);
      }
      Files.createDirectories(dist.resolve("tmp"));
      Files.createDirectories(dist.resolve("logs"));
      boolean freshRepo = !Files.exists(pathRepo) || isEmptyDirectory(pathRepo);
      Files.createDirectories(pathRepo);
      if (isRoot()) {
        ensureRunUser();
        run(List.of("chown", "-R", RUN_AS_USER + ":" + RUN_AS_USER, dist.toString()), Duration.ofMinutes(2));
        // Only a folder made (or left empty) for this cluster changes hands; a user's existing repository, perhaps
        // shared with other tools, keeps its owners: the cluster then needs the access the user gives it.
        if (freshRepo) {
          run(List.of("chown", RUN_AS_USER + ":" + RUN_AS_USER, pathRepo.toString()), Duration.ofMinutes(1));
        } else if (!RUN_AS_USER.equals(Files.getOwner(pathRepo).getName())) {
          log.accept("path.repo " + pathRepo + " already holds files and belongs to " + Files.getOwner(pathRepo).getName()
              + "; left as it is. The cluster runs as " + RUN_AS_USER + ": to snapshot into it, give that user write access "
              + "(for example: chown -R " + RUN_AS_USER + " " + pathRepo + "), or pass an empty --path-repo");
        }
      }
    } catch (IOException e) {
      throw new UserError("cannot prepare " + clusterDir + ": " + e.getMessage(), e);
    }

    return start(name, distribution, version, major, port, clusterDir, pathRepo, javaHome, request.heap(), request.settings(),
        request.withModules(), request.startTimeout(), started);
  }

  /**
   * Starts a stopped cluster again from its folder, with its data, on its port: a node restart, as a rolling restart
   * or an outage would bring it. Fails if it runs or was never provisioned.
   */
  public LocalCluster restart(String name) {
    LocalCluster known = find(name).orElseThrow(() -> new UserError("no cluster '" + name + "' was provisioned here"));
    supervisor.requireNotRunning(ProcessKind.CLUSTER, name);
    String version = known.version();
    int major = Integer.parseInt(version.substring(0, version.indexOf('.')));
    Path javaHome = javaHomeFor(known.distribution(), major, version);
    int port = LocalProcesses.requireFreePort(known.port());
    String heap = known.process().attribute("heap") != null ? known.process().attribute("heap") : ClusterRequest.DEFAULT_HEAP;
    String settings = known.process().attribute("settings");
    return start(name, known.distribution(), version, major, port, supervisor.dir(ProcessKind.CLUSTER, name), known.pathRepo(),
        javaHome, heap, settings == null || settings.isEmpty() ? List.of() : List.of(settings.split("\n")), known.withModules(),
        ClusterRequest.DEFAULT_START_TIMEOUT, System.nanoTime());
  }

  private LocalCluster start(String name, Distribution distribution, String version, int major, int port, Path clusterDir,
      Path pathRepo, Path javaHome, String heap, List<String> settings, boolean withModules, Duration startTimeout,
      long started) {
    Path dist = clusterDir.resolve("dist");
    Path pidFile = dist.resolve("pid");
    List<String> command = startCommand(distribution, major, version, name, port, dist, pidFile, pathRepo, javaHome,
        heap, settings);
    Path launcherLog = clusterDir.resolve("launcher.log");
    log.accept("starting " + distribution.id() + " " + version + " as '" + name + "' on 127.0.0.1:" + port
        + " (Java " + JavaHomes.majorVersion(javaHome) + ", path.repo " + pathRepo + ")");
    try {
      Process launcher = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(launcherLog.toFile()).start();
      if (!launcher.waitFor(startTimeout.toSeconds(), TimeUnit.SECONDS)) {
        launcher.destroyForcibly();
        throw startFailure(name, version, distribution, dist, launcherLog, "the start script did not return within "
            + startTimeout.toSeconds() + " s");
      }
      if (launcher.exitValue() != 0) {
        throw startFailure(name, version, distribution, dist, launcherLog, "the start script exited with code " + launcher.exitValue());
      }
    } catch (IOException e) {
      throw new UserError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while starting " + name, e);
    }
    Path serverLog = dist.resolve("logs").resolve(name + ".log");
    // recorded as soon as its PID is known, so a start given up on (timeout, Ctrl-C) can still be listed and stopped
    long pid = waitForHealth(name, version, distribution, dist, pidFile, launcherLog, port, startTimeout, started,
        nodePid -> supervisor.record(LocalCluster.record(name, distribution, version, port, nodePid, clusterDir, dist, pathRepo,
            withModules, heap, settings, serverLog)));
    LocalCluster cluster = find(name).orElseThrow();
    log.accept(String.format("%s %s '%s' is up at %s (pid %d) after %.1f s; path.repo %s", distribution.id(), version, name,
        cluster.url(), pid, (System.nanoTime() - started) / 1e9, pathRepo));
    return cluster;
  }

  /** Stops a cluster by its recorded PID (SIGTERM, then SIGKILL after a minute). Returns it, or empty if unknown. */
  public Optional<LocalCluster> stop(String name) {
    return supervisor.stop(ProcessKind.CLUSTER, name, Duration.ofSeconds(60)).map(LocalCluster::new);
  }

  /** All clusters this launcher has recorded, running or not, by name. */
  public List<LocalCluster> list() {
    return supervisor.list(ProcessKind.CLUSTER).stream().map(LocalCluster::new).toList();
  }

  public Optional<LocalCluster> find(String name) {
    return supervisor.find(ProcessKind.CLUSTER, name).map(LocalCluster::new);
  }

  private static Path javaHomeFor(Distribution distribution, int major, String version) {
    String what = distribution.id() + " " + version;
    if (distribution == Distribution.OPENSEARCH && major >= 3) {
      return JavaHomes.find(21, 99, 25, what);
    }
    // JDK 24+ refuses the Security Manager these versions enable (REAL-CLUSTERS.md §1).
    return JavaHomes.find(11, 23, 17, what);
  }

  private static void applyVersionFixes(Distribution distribution, int major, Path dist) throws IOException {
    if (distribution == Distribution.ELASTICSEARCH && major == 5) {
      // ES 5 hard-codes the CMS collector, which JDK 14+ removed.
      Path jvmOptions = dist.resolve("config/jvm.options");
      String options = Files.readString(jvmOptions)
          .replaceAll("(?m)^-XX:\\+UseConcMarkSweepGC", "-XX:+UseG1GC")
          .replaceAll("(?m)^-XX:CMSInitiatingOccupancyFraction=75", "#$0")
          .replaceAll("(?m)^-XX:\\+UseCMSInitiatingOccupancyOnly", "#$0");
      Files.writeString(jvmOptions, options);
    }
  }

  private static List<String> startCommand(Distribution distribution, int major, String version, String name, int port,
      Path dist, Path pidFile, Path pathRepo, Path javaHome, String heap, List<String> extraSettings) {
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      command.addAll(List.of("runuser", "-u", RUN_AS_USER, "--"));
    }
    command.addAll(List.of("env", "-i", "PATH=" + PATH, "HOME=" + dist, "JAVA_HOME=" + javaHome, "ES_JAVA_HOME=" + javaHome,
        "OPENSEARCH_JAVA_HOME=" + javaHome, distribution.javaOptsVariable() + "=-Xms" + heap + " -Xmx" + heap,
        distribution.tmpDirVariable() + "=" + dist.resolve("tmp")));
    command.add(dist.resolve(distribution.startScript()).toString());
    command.addAll(List.of("-d", "-p", pidFile.toString(),
        "-Ecluster.name=" + name,
        "-Enode.name=" + name + "-0",
        "-Ediscovery.type=single-node",
        "-Enetwork.host=127.0.0.1",
        "-Ehttp.port=" + port,
        "-Epath.repo=" + pathRepo,
        // test machines often run with little free disk; never flip indices to read-only for it
        "-Ecluster.routing.allocation.disk.threshold_enabled=false"));
    if (distribution == Distribution.ELASTICSEARCH && major >= 8) {
      command.add("-Expack.security.enabled=false"); // otherwise every request gets 401
    }
    for (String setting : extraSettings) {
      command.add("-E" + setting);
    }
    return command;
  }

  private long waitForHealth(String name, String version, Distribution distribution, Path dist, Path pidFile,
      Path launcherLog, int port, Duration timeout, long startedNanos, LongConsumer onPid) {
    ClusterClient client = ClusterClient.connect(ClusterEndpoint.of("http://127.0.0.1:" + port));
    long deadline = startedNanos + timeout.toNanos();
    long seenPid = -1;
    while (System.nanoTime() < deadline) {
      long pid = readPid(pidFile);
      if (pid > 0 && pid != seenPid) {
        onPid.accept(pid);
        seenPid = pid;
      }
      if (pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
        throw startFailure(name, version, distribution, dist, launcherLog, "the node (pid " + pid + ") exited during start-up");
      }
      try {
        if (pid > 0 && client.get("/_cluster/health?wait_for_status=yellow&timeout=1s").isSuccess()) {
          return pid;
        }
      } catch (ClusterUnreachableException notYet) {
        // still starting
      }
      ProcessSupervisor.pause(500, "waiting for the cluster to start");
    }
    long pid = readPid(pidFile);
    if (pid > 0) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }
    throw startFailure(name, version, distribution, dist, launcherLog, "it was not healthy within " + timeout.toSeconds() + " s");
  }

  private UserError startFailure(String name, String version, Distribution distribution, Path dist, Path launcherLog, String what) {
    StringBuilder message = new StringBuilder(distribution.id() + " " + version + " ('" + name + "') did not start: " + what + ".");
    message.append("\n--- ").append(launcherLog).append('\n').append(LocalProcesses.tail(launcherLog, 20));
    Path serverLog = dist.resolve("logs").resolve(name + ".log");
    message.append("--- ").append(serverLog).append('\n').append(LocalProcesses.tail(serverLog, 30));
    return new UserError(message.toString());
  }

  private static long readPid(Path pidFile) {
    try {
      return Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private int freePort() {
    return LocalProcesses.freePort(supervisor.portsInUse());
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void ensureRunUser() {
    if (run(List.of("id", "-u", RUN_AS_USER), Duration.ofSeconds(10)) != 0) {
      log.accept("creating the unprivileged user '" + RUN_AS_USER + "' to run clusters (they refuse to run as root)");
      if (run(List.of("useradd", "--system", "--create-home", "--shell", "/usr/sbin/nologin", RUN_AS_USER), Duration.ofSeconds(30)) != 0) {
        throw new UserError("cannot create the user '" + RUN_AS_USER + "' (useradd failed). Create it yourself, or run as a normal user");
      }
    }
  }

  private static int run(List<String> command, Duration timeout) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new UserError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void unzipStrippingRoot(Path zip, Path into) throws IOException {
    Files.createDirectories(into);
    try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
      Enumeration<ZipArchiveEntry> entries = file.getEntries();
      while (entries.hasMoreElements()) {
        ZipArchiveEntry entry = entries.nextElement();
        String name = entry.getName();
        int slash = name.indexOf('/');
        if (slash < 0 || slash == name.length() - 1) {
          continue;
        }
        Path target = into.resolve(name.substring(slash + 1)).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("zip entry escapes the target folder: " + name);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = file.getInputStream(entry)) {
          Files.copy(in, target);
        }
        int mode = entry.getUnixMode();
        if ((mode & 0111) != 0 || target.getParent().getFileName().toString().equals("bin")) {
          Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(target));
          permissions.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
          Files.setPosixFilePermissions(target, permissions);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** The cluster's health JSON, or null when it does not answer. */
  public static JsonNode health(LocalCluster cluster) {
    try {
      return ClusterClient.connect(cluster.endpoint()).getJson("/_cluster/health");
    } catch (RuntimeException e) {
      return null;
    }
  }
}
