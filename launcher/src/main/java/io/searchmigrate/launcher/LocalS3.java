package io.searchmigrate.launcher;

import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Starts and stops a real S3 API server, s3proxy, on 127.0.0.1 as a separate JVM, storing objects as plain files
 * under {@code <home>/s3/<name>/data/<bucket>/<key>} (STACK.md §4a). Requests must be signed (AWS SigV2 or SigV4) with
 * the server's identity and its credential, a random secret kept owner-only in {@code <home>/s3/<name>/credential}.
 *
 * <pre>{@code
 * LocalS3 s3 = new LocalS3(ProcessSupervisor.defaultHome(), System.out::println);
 * LocalS3.Server server = s3.start("s3", 0, LocalS3.serverLib(projectRoot));   // 0 = a free port
 * ... server.endpoint(), server.identity(), server.credential() ...
 * s3.stop("s3");
 * }</pre>
 */
public final class LocalS3 {
  /** The pinned s3proxy jar: "type" is the file name's tail after the version (classifier and extension). */
  static final String COORDINATES = "org.gaul:s3proxy:4.1.0:jar-with-dependencies.jar";
  static final String JAR = "s3proxy-4.1.0-jar-with-dependencies.jar";
  /** The access key id clients sign with; not a secret. */
  public static final String IDENTITY = "local-identity";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final ProcessSupervisor supervisor;
  private final Consumer<String> log;

  public LocalS3(Path home, Consumer<String> log) {
    this.supervisor = new ProcessSupervisor(home, log);
    this.log = log;
  }

  /** A server this launcher started: its endpoint, the PID that stops it and where its credential is. */
  public record Server(SupervisedProcess process) {
    public String name() {
      return process.name();
    }

    public int port() {
      return process.port("http");
    }

    /** The URL clients use, with path-style addressing: {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
      return process.address();
    }

    public long pid() {
      return process.pid();
    }

    public Path dir() {
      return process.dir();
    }

    /** The folder that holds one folder per bucket. */
    public Path data() {
      return process.dir().resolve("data");
    }

    /** The owner-only file holding the secret access key. */
    public Path credentialFile() {
      return process.dir().resolve("credential");
    }

    public String identity() {
      return IDENTITY;
    }

    /** The secret access key, read from its owner-only file. */
    public String credential() {
      try {
        return Files.readString(credentialFile()).strip();
      } catch (IOException e) {
        throw new UserError("cannot read the S3 server's credential from " + credentialFile() + ": " + e.getMessage());
      }
    }

    public boolean isRunning() {
      return process.isRunning();
    }
  }

  /** Where the build puts s3proxy: {@code <project>/s3-local/target/lib}. */
  public static Path serverLib(Path projectRoot) {
    return projectRoot.resolve("s3-local").resolve("target").resolve("lib");
  }

  /**
   * Starts a server named {@code name} on {@code port} (0: the previous port of this name if free, else the first free
   * one from MIGRATE_PORT_BASE) and waits until it answers HTTP. Objects stored before survive a stop and start.
   */
  public Server start(String name, int port, Path serverLib) {
    Path dir = supervisor.dir(ProcessKind.S3, name);
    Optional<Server> previous = supervisor.requireNotRunning(ProcessKind.S3, name).map(Server::new);
    Path jar = serverLib.resolve(JAR);
    if (!Files.isRegularFile(jar)) {
      throw new UserError("the S3 server (s3proxy) is not in " + serverLib + "; build it with: mvn -B -DskipTests package -pl s3-local");
    }
    PinnedChecksums.load().verify(COORDINATES, jar);
    Set<Integer> taken = new HashSet<>(supervisor.portsInUse());
    int httpPort = port > 0 ? LocalProcesses.requireFreePort(port)
        : previous.map(Server::port).filter(LocalProcesses::isPortFree).orElseGet(() -> LocalProcesses.freePort(taken));
    String endpoint = "http://127.0.0.1:" + httpPort;
    Path data = dir.resolve("data");
    Path credentialFile = dir.resolve("credential");
    Path properties = dir.resolve("s3proxy.conf");
    long started = System.nanoTime();
    try {
      Files.createDirectories(data);
      if (!Files.isRegularFile(credentialFile)) {
        byte[] secret = new byte[20];
        new SecureRandom().nextBytes(secret);
        OwnerOnlyFiles.writeString(credentialFile, HexFormat.of().formatHex(secret) + "\n");
      }
      String credential = Files.readString(credentialFile).strip();
      OwnerOnlyFiles.writeString(properties, String.join("\n",
          "s3proxy.endpoint=" + endpoint,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + IDENTITY,
          "s3proxy.credential=" + credential,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + data,
          ""));
    } catch (IOException e) {
      throw new UserError("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
    Path logFile = dir.resolve("s3proxy.log");
    log.accept("starting S3 server '" + name + "' on " + endpoint + " (objects under " + data + ")");
    Process process = supervisor.startJava(ProcessKind.S3, name, List.of("-Xms64m", "-Xmx384m"), jar.toString(),
        "org.gaul.s3proxy.Main", List.of("--properties", properties.toString()), logFile);
    Server server = new Server(supervisor.record(new SupervisedProcess(ProcessKind.S3, name, process.pid(),
        supervisor.javaMarker(ProcessKind.S3, name), dir, logFile, endpoint, Map.of("http", httpPort), Map.of())));
    long deadline = started + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new UserError("S3 server '" + name + "' exited during start-up (code " + process.exitValue() + ").\n--- "
            + logFile + "\n" + LocalProcesses.tail(logFile, 30));
      }
      if (answers(endpoint)) {
        log.accept(String.format("S3 server '%s' is up at %s (pid %d) after %.1f s", name, endpoint, server.pid(),
            (System.nanoTime() - started) / 1e9));
        return server;
      }
      ProcessSupervisor.pause(200, "waiting for the S3 server to start");
    }
    supervisor.stop(server.process(), Duration.ofSeconds(10));
    throw new UserError("S3 server '" + name + "' did not answer within " + START_TIMEOUT.toSeconds() + " s.\n--- "
        + logFile + "\n" + LocalProcesses.tail(logFile, 30));
  }

  /** Any HTTP answer (an unsigned request gets 403) means the server is serving. */
  private static boolean answers(String endpoint) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      http.send(HttpRequest.newBuilder(URI.create(endpoint + "/")).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while waiting for the S3 server", e);
    }
  }

  /** Stops a server by its recorded PID (SIGTERM, then SIGKILL after 20 s). Returns it, or empty if unknown. */
  public Optional<Server> stop(String name) {
    return supervisor.stop(ProcessKind.S3, name, Duration.ofSeconds(20)).map(Server::new);
  }

  public Optional<Server> find(String name) {
    return supervisor.find(ProcessKind.S3, name).map(Server::new);
  }

  /** Every server this launcher has recorded, running or not. */
  public List<Server> list() {
    return supervisor.list(ProcessKind.S3).stream().map(Server::new).toList();
  }
}
