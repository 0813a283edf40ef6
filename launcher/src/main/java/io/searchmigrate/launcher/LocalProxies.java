package io.searchmigrate.launcher;

import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.http.Secret;
import io.searchmigrate.common.http.ClusterUnreachableException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the capture proxy as a background process (its own JVM, from {@code proxy/target/proxy.jar}), waits
 * until it serves, and stops it gracefully (SIGTERM: it drains requests in flight and stores buffered captures).
 * The launcher does not link the proxy: the caller parses the proxy's arguments with the proxy's own parser and
 * says what they mean in a {@link ProxyRequest}.
 *
 * <pre>{@code
 * LocalProxies proxies = new LocalProxies(ProcessSupervisor.defaultHome(), System.out::println);
 * Proxy proxy = proxies.start(ProxyRequest.of("proxy", args, listen, admin, source, topic), LocalProxies.classPath(projectRoot));
 * ... proxy.listen() ...
 * proxies.stop("proxy");
 * }</pre>
 *
 * <p>Each proxy keeps its log under {@code <home>/proxies/<name>} and is recorded by the {@link ProcessSupervisor}
 * without its arguments (they may hold secrets). The arguments reach the proxy in a file only its owner can read
 * ({@code proxy.args}, read by the proxy's parser as {@code @file}), never on its command line, where every user of
 * the machine could read them.
 */
public final class LocalProxies {
  public static final String MAIN_CLASS = "io.searchmigrate.proxy.ProxyMain";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);
  /** Long enough for requests in flight to finish and buffered captures to reach Kafka. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(90);

  private final ProcessSupervisor supervisor;
  private final Consumer<String> log;

  public LocalProxies(Path home, Consumer<String> log) {
    this.supervisor = new ProcessSupervisor(home, log);
    this.log = log;
  }

  /**
   * What to start: the proxy's own arguments, passed through unchanged, and what the caller parsed from them.
   *
   * @param admin where /health and /metrics listen, or null for none
   * @param topic the capture topic, or null when the proxy captures nothing
   * @param target the switchover target's URL, or null when the proxy has none
   */
  public record ProxyRequest(String name, List<String> arguments, InetSocketAddress listen, InetSocketAddress admin,
      String source, String topic, List<String> jvmOptions, String target) {
    public ProxyRequest {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(listen, "listen");
      Objects.requireNonNull(source, "source");
      arguments = List.copyOf(arguments);
      jvmOptions = List.copyOf(jvmOptions);
    }

    /** A request with the proxy's usual heap (64 MB at start, at most 512 MB). */
    public static ProxyRequest of(String name, List<String> arguments, InetSocketAddress listen, InetSocketAddress admin,
        String source, String topic) {
      return new ProxyRequest(name, arguments, listen, admin, source, topic, List.of("-Xms64m", "-Xmx512m"), null);
    }

    /**
     * The heap follows the proxy's {@code --capture-buffer}: captured bytes are held twice until Kafka answers (the
     * record, and the producer's batch), plus room for connections and Netty; never less than the usual 512 MB.
     */
    public ProxyRequest withHeapFor(long captureBufferBytes) {
      long maxMiB = Math.max(512, (2 * captureBufferBytes >> 20) + 256);
      return withJvmOptions(List.of("-Xms64m", "-Xmx" + maxMiB + "m"));
    }

    public ProxyRequest withJvmOptions(List<String> options) {
      return new ProxyRequest(name, arguments, listen, admin, source, topic, options, target);
    }

    /** The switchover target the proxy was given ({@code --target}), for status; null when none. */
    public ProxyRequest withTarget(String url) {
      return new ProxyRequest(name, arguments, listen, admin, source, topic, jvmOptions, url);
    }
  }

  /** A proxy this launcher started: where it listens, what it captures, and the PID that stops it. */
  public record Proxy(SupervisedProcess process) {
    public String name() {
      return process.name();
    }

    public long pid() {
      return process.pid();
    }

    /** Where clients connect, host:port. */
    public String listen() {
      return process.address();
    }

    /** Where /health and /metrics answer, host:port, or null when the proxy has no admin port. */
    public String admin() {
      return process.attribute("admin");
    }

    public String source() {
      return process.attribute("source");
    }

    /** The switchover target, or null when the proxy has none. */
    public String target() {
      return process.attribute("target");
    }

    /** The capture topic, or null when the proxy captures nothing. */
    public String topic() {
      return process.attribute("topic");
    }

    public Path log() {
      return process.log();
    }

    /** True while the recorded PID is alive and still this proxy's JVM. */
    public boolean isRunning() {
      return process.isRunning();
    }
  }

  /** proxy/target/proxy.jar (which names its lib/ folder), else this JVM's own class path, which must then hold the proxy. */
  public static String classPath(Path projectRoot) {
    Path jar = projectRoot.resolve("proxy").resolve("target").resolve("proxy.jar");
    return Files.isRegularFile(jar) ? jar.toString() : System.getProperty("java.class.path");
  }

  /**
   * Starts a proxy in the background and waits until it serves and, when it has an admin port, until its producer
   * knows the topic (so the first writes are captured without waiting out their hold). A Kafka that does not
   * answer is only a warning: the proxy serves clients anyway and captures once Kafka answers.
   */
  public Proxy start(ProxyRequest request, String classPath) {
    String name = request.name();
    Path dir = supervisor.dir(ProcessKind.PROXY, name);
    supervisor.requireNotRunning(ProcessKind.PROXY, name);
    Path logFile = dir.resolve("proxy.log");
    Path argumentsFile = dir.resolve("proxy.args");
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(logFile);
      OwnerOnlyFiles.writeString(argumentsFile, argumentFile(request.arguments()));
    } catch (IOException e) {
      throw new UserError("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
    Process process = supervisor.startJava(ProcessKind.PROXY, name, request.jvmOptions(), classPath, MAIN_CLASS,
        List.of("@" + argumentsFile), logFile);
    String admin = request.admin() == null ? null : hostPort(request.admin());
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("listen", request.listen().getPort());
    Map<String, String> attributes = new LinkedHashMap<>();
    if (admin != null) {
      ports.put("admin", request.admin().getPort());
      attributes.put("admin", admin);
    }
    attributes.put("source", request.source());
    if (request.target() != null) {
      attributes.put("target", request.target());
    }
    if (request.topic() != null) {
      attributes.put("topic", request.topic());
    }
    Proxy proxy = new Proxy(supervisor.record(new SupervisedProcess(ProcessKind.PROXY, name, process.pid(),
        supervisor.javaMarker(ProcessKind.PROXY, name), dir, logFile, hostPort(request.listen()), ports, attributes)));
    awaitServing(process, proxy, request.listen());
    log.accept("capture proxy '" + name + "' (pid " + proxy.pid() + ") forwards " + proxy.listen() + " to " + proxy.source()
        + (proxy.topic() != null ? " and captures to topic '" + proxy.topic() + "'" : " and captures nothing")
        + (admin != null ? "; health and metrics on http://" + admin : "") + "; log " + logFile);
    return proxy;
  }

  /** Arguments as a picocli argument file: one per line, quoted, backslashes and quotes escaped. */
  public static String argumentFile(List<String> arguments) {
    StringBuilder text = new StringBuilder();
    for (String argument : arguments) {
      text.append('"').append(argument.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
    }
    return text.toString();
  }

  /**
   * Stops a proxy by its recorded PID: SIGTERM, then it drains requests in flight and stores its captures (SIGKILL
   * after 90 s). Reports its last counters. Returns it, or empty if none of that name was started here.
   */
  public Optional<Proxy> stop(String name) {
    Optional<SupervisedProcess> recorded = supervisor.find(ProcessKind.PROXY, name);
    recorded.ifPresent(process -> {
      if (supervisor.stop(process, STOP_GRACE)) {
        LocalProcesses.tail(process.log(), 3).lines().filter(line -> line.contains("stopped:")).forEach(log);
      }
    });
    return recorded.map(Proxy::new);
  }

  public Optional<Proxy> find(String name) {
    return supervisor.find(ProcessKind.PROXY, name).map(Proxy::new);
  }

  /** Every proxy this launcher has recorded, running or not, by name. */
  public List<Proxy> list() {
    return supervisor.list(ProcessKind.PROXY).stream().map(Proxy::new).toList();
  }

  /**
   * The file holding the switch token of the proxy {@code name} ({@code --switch-token file:PATH}: what a switch
   * request must present), created owner-only with a random token unless it exists already (a proxy restarted keeps it).
   */
  public Path switchTokenFile(String name) {
    Path file = supervisor.dir(ProcessKind.PROXY, name).resolve("switch.token");
    try {
      if (!Files.isRegularFile(file)) {
        Files.createDirectories(file.getParent());
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        OwnerOnlyFiles.writeString(file, HexFormat.of().formatHex(token) + "\n");
      }
    } catch (IOException e) {
      throw new UserError("cannot write the proxy's switch token " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** The switch token of a proxy started here, if it has one. */
  public Optional<Secret> switchToken(String name) {
    Path file = supervisor.dir(ProcessKind.PROXY, name).resolve("switch.token");
    return Files.isRegularFile(file) ? Optional.of(Secret.fromFile(file)) : Optional.empty();
  }

  /**
   * Remembers that the proxy {@code name} was last switched to {@code mode} ("source" or "target") with this target, so
   * a restart towards the same target can keep it.
   */
  public void recordMode(String name, String mode, String target) {
    Path file = supervisor.dir(ProcessKind.PROXY, name).resolve("mode");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, mode + "\n" + target + "\n");
    } catch (IOException e) {
      throw new UserError("cannot record the proxy's mode in " + file + ": " + e.getMessage(), e);
    }
  }

  /** Where the proxy {@code name} was last switched to while its target was {@code target}, if it ever was. */
  public Optional<String> recordedMode(String name, String target) {
    Path file = supervisor.dir(ProcessKind.PROXY, name).resolve("mode");
    try {
      List<String> lines = Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
      return lines.size() == 2 && withoutSlash(lines.get(1)).equals(withoutSlash(target)) ? Optional.of(lines.get(0))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String withoutSlash(String url) {
    return url == null ? "" : url.strip().replaceAll("/+$", "");
  }

  /** Forgets the recorded mode (the migration is over: a new one starts on its source). */
  public void forgetMode(String name) {
    try {
      Files.deleteIfExists(supervisor.dir(ProcessKind.PROXY, name).resolve("mode"));
    } catch (IOException e) {
      throw new UserError("cannot remove the proxy's recorded mode: " + e.getMessage(), e);
    }
  }

  /** The proxy's {@code GET|POST /mode} (see the proxy's README, "Switchover"), with its switch token when there is one. */
  public static ClusterResponse adminMode(String admin, String method, String query, Optional<Secret> token) {
    ClusterEndpoint endpoint = ClusterEndpoint.of("http://" + admin);
    if (token.isPresent()) {
      endpoint = endpoint.withBasicAuth("switch", token.get());
    }
    return ClusterClient.connect(endpoint).send(method, "/mode" + (query == null ? "" : "?" + query), null, null, ADMIN_TIMEOUT);
  }

  /** GET http://{@code admin}{@code path} (the proxy's /health or /metrics) as text, or "(no answer: ...)". */
  public static String adminGet(String admin, String path) {
    try {
      return ClusterClient.connect(ClusterEndpoint.of("http://" + admin)).send("GET", path, null, null, ADMIN_TIMEOUT).bodyText();
    } catch (ClusterUnreachableException e) {
      return "(no answer: " + e.getMessage() + ")";
    }
  }

  private void awaitServing(Process process, Proxy proxy, InetSocketAddress listen) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    boolean serving = false;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new UserError("the capture proxy exited during start-up (code " + process.exitValue() + ").\n--- " + proxy.log() + "\n"
            + LocalProcesses.tail(proxy.log(), 20));
      }
      if (proxy.admin() == null) {
        serving = accepts(listen);
        if (serving) {
          return;
        }
      } else {
        String health = adminGet(proxy.admin(), "/health");
        serving = health.contains("\"status\":\"serving\"");
        if (serving && !health.contains("\"kafka\":\"connecting\"")) {
          return;
        }
      }
      ProcessSupervisor.pause(200, "starting the proxy");
    }
    if (serving) {
      log.accept("warning: the proxy serves, but Kafka has not answered for topic '" + proxy.topic() + "' yet; captures wait in "
          + "its buffer until it does (see ./migrate proxy status)");
      return;
    }
    supervisor.stop(proxy.process(), Duration.ofSeconds(10));
    throw new UserError("the capture proxy did not serve within " + START_TIMEOUT.toSeconds() + " s.\n--- " + proxy.log() + "\n"
        + LocalProcesses.tail(proxy.log(), 20));
  }

  /** host:port that reaches {@code address} from here (a proxy bound to every interface is reached on loopback). */
  private static String hostPort(InetSocketAddress address) {
    return reachableHost(address) + ":" + address.getPort();
  }

  private static String reachableHost(InetSocketAddress address) {
    return address.getHostString().equals("0.0.0.0") ? "127.0.0.1" : address.getHostString();
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(reachableHost(address), address.getPort()), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
