package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalClusters;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.proxy.ProxyConfig;
import io.searchmigrate.proxy.ProxyMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code migrate proxy ...}: runs the capture proxy as a background process (its own JVM, from proxy.jar),
 * records its PID, and stops it gracefully (SIGTERM: drain requests in flight, store buffered captures).
 */
@Command(name = "proxy", description = "Start, inspect and stop the capture proxy (live traffic into Kafka).",
    subcommands = {ProxyCommand.Start.class, ProxyCommand.Stop.class, ProxyCommand.Status.class, ProxyCommand.Options.class})
final class ProxyCommand implements Runnable {
  static final String DEFAULT_NAME = "proxy";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What start recorded about a running proxy (no option values: they may hold secrets). */
  record State(String name, long pid, String listen, String admin, String source, String topic, Path log, Path dir) {
    boolean isRunning() {
      return LocalProcesses.isRunning(pid, marker(dir));
    }

    JsonNode toJson() {
      ObjectNode node = Json.object();
      node.put("name", name).put("pid", pid).put("listen", listen).put("admin", admin).put("source", source).put("topic", topic)
          .put("log", log.toString()).put("dir", dir.toString());
      return node;
    }

    static State fromJson(JsonNode n) {
      return new State(n.path("name").asText(), n.path("pid").asLong(), n.path("listen").asText(), n.path("admin").asText(null),
          n.path("source").asText(), n.path("topic").asText(), Path.of(n.path("log").asText()), Path.of(n.path("dir").asText()));
    }
  }

  static Path dir(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new UserError("proxy name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
    }
    return LocalClusters.defaultHome().resolve("proxies").resolve(name);
  }

  /** A JVM option that marks the process as this proxy, so a reused PID is never mistaken for it. */
  static String marker(Path dir) {
    return "-Dsearchmigrate.proxy=" + dir;
  }

  static Optional<State> find(String name) {
    Path file = dir(name).resolve("proxy.json");
    try {
      return Files.isRegularFile(file) ? Optional.of(State.fromJson(Json.parse(Files.readAllBytes(file)))) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description =
      "Start the capture proxy in the background and wait until it serves. Every option of the proxy " +
      "may be given (./migrate proxy options lists them all, e.g. --tls-cert, --set-header, " +
      "--suppress-path, --hold-timeout).")
  static final class Start implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "name of this proxy, for stop and status (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "where clients connect")
    String listen;

    @Option(names = "--source", required = true, paramLabel = "URL", description = "the source cluster, http(s)://host:port")
    String source;

    @Option(names = "--kafka", required = true, paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers")
    String kafka;

    @Option(names = "--topic", required = true, description = "the capture topic")
    String topic;

    @CommandLine.Unmatched
    List<String> more = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Path dir = dir(name);
      Optional<State> previous = find(name);
      if (previous.isPresent() && previous.get().isRunning()) {
        throw new UserError("proxy '" + name + "' is already running on " + previous.get().listen() + " (pid " + previous.get().pid()
            + "); stop it first: ./migrate proxy stop --name " + name);
      }
      List<String> args = new ArrayList<>(List.of("--listen", listen, "--source", source, "--kafka", kafka, "--topic", topic));
      args.addAll(more);
      ProxyConfig config;
      try {
        config = ProxyMain.parse(args);
      } catch (IllegalArgumentException e) {
        boolean unknownOption = e.getCause() instanceof CommandLine.ParameterException;
        throw new UserError(e.getMessage() + (unknownOption ? " (./migrate proxy options lists the proxy's options)" : ""), e);
      }
      Path log = dir.resolve("proxy.log");
      try {
        Files.createDirectories(dir);
        Files.deleteIfExists(log);
      } catch (IOException e) {
        throw new UserError("cannot prepare " + dir + ": " + e.getMessage(), e);
      }
      Process process = LocalProcesses.startJava(List.of(marker(dir), "-Xms64m", "-Xmx512m"), proxyClassPath(),
          "io.searchmigrate.proxy.ProxyMain", args, log);
      String admin = config.admin() == null ? null : hostPort(config.admin());
      State state = new State(name, process.pid(), hostPort(config.listen()), admin, config.source().toString(), topic, log, dir);
      try {
        Files.writeString(dir.resolve("proxy.json"), Json.toPrettyString(state.toJson()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      awaitServing(process, state, config.listen(), err);
      err.println("capture proxy '" + name + "' (pid " + process.pid() + ") forwards " + state.listen() + " to " + source
          + " and captures to topic '" + topic + "'" + (admin != null ? "; health and metrics on http://" + admin : "")
          + "; log " + log);
      spec.commandLine().getOut().println(state.listen());
      return 0;
    }

    /**
     * Waits until the proxy serves and, when it has an admin port, until its producer knows the topic (so the
     * first writes are captured without waiting out their hold). A Kafka that does not answer is only a warning:
     * the proxy serves clients anyway and captures once Kafka answers.
     */
    private static void awaitServing(Process process, State state, InetSocketAddress listen, PrintWriter err) {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      boolean serving = false;
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new UserError("the capture proxy exited during start-up (code " + process.exitValue() + ").\n--- " + state.log() + "\n"
              + LocalProcesses.tail(state.log(), 20));
        }
        if (state.admin() == null) {
          serving = accepts(listen);
          if (serving) {
            return;
          }
        } else {
          String health = fetch(state.admin(), "/health");
          serving = health.contains("\"status\":\"serving\"");
          if (serving && !health.contains("\"kafka\":\"connecting\"")) {
            return;
          }
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UserError("interrupted while starting the proxy");
        }
      }
      if (serving) {
        err.println("warning: the proxy serves, but Kafka has not answered for topic '" + state.topic() + "' yet; captures wait in "
            + "its buffer until it does (see ./migrate proxy status)");
        return;
      }
      LocalProcesses.stop(process.pid(), Duration.ofSeconds(10), "the capture proxy", line -> { });
      throw new UserError("the capture proxy did not serve within " + START_TIMEOUT.toSeconds() + " s.\n--- " + state.log() + "\n"
          + LocalProcesses.tail(state.log(), 20));
    }

    /** proxy/target/proxy.jar (which names its lib/ folder), else this JVM's own class path, which holds the proxy too. */
    private static String proxyClassPath() {
      Path jar = LocalProcesses.projectRoot(Migrate.class).resolve("proxy").resolve("target").resolve("proxy.jar");
      return Files.isRegularFile(jar) ? jar.toString() : System.getProperty("java.class.path");
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description =
      "Stop a proxy started by start: SIGTERM, then it drains requests in flight and stores its " +
      "captures.")
  static final class Stop implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "(default: ${DEFAULT-VALUE})")
    String name;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      State state = find(name).orElseThrow(() -> new UserError("no proxy named '" + name + "' was started here; start one with: "
          + "./migrate proxy start --listen HOST:PORT --source URL --kafka BOOTSTRAP --topic T"));
      if (state.isRunning() && LocalProcesses.stop(state.pid(), Duration.ofSeconds(90), "proxy '" + name + "'", err::println)) {
        err.println("stopped proxy '" + name + "' (pid " + state.pid() + ")");
        List<String> tail = LocalProcesses.tail(state.log(), 3).lines().filter(l -> l.contains("stopped:")).toList();
        tail.forEach(err::println);
      } else {
        err.println("proxy '" + name + "' was not running");
      }
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description =
      "Say whether a proxy runs, its health and its main counters.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "(default: ${DEFAULT-VALUE})")
    String name;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Optional<State> found = find(name);
      if (found.isEmpty() || !found.get().isRunning()) {
        out.println("proxy '" + name + "': not running");
        return Migrate.RUN_FAILED;
      }
      State s = found.get();
      out.println("proxy '" + name + "': running (pid " + s.pid() + "), " + s.listen() + " -> " + s.source() + ", topic '" + s.topic() + "'");
      if (s.admin() != null) {
        out.println("health: " + fetch(s.admin(), "/health").strip());
        fetch(s.admin(), "/metrics").lines()
            .filter(l -> !l.startsWith("#") && !l.contains("_bucket") && !l.contains("latency_seconds_"))
            .map(l -> "  " + l.replace("searchmigrate_proxy_", ""))
            .forEach(out::println);
      }
      out.println("log: " + s.log());
      return 0;
    }
  }

  @Command(name = "options", mixinStandardHelpOptions = true, description =
      "Print every option of the capture proxy (start accepts them all).")
  static final class Options implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(ProxyMain.usage());
      return 0;
    }
  }

  private static String hostPort(InetSocketAddress address) {
    String host = address.getHostString().equals("0.0.0.0") ? "127.0.0.1" : address.getHostString();
    return host + ":" + address.getPort();
  }

  private static String fetch(String admin, String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + admin + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "(no answer: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.getHostString().equals("0.0.0.0") ? "127.0.0.1" : address.getHostString(),
          address.getPort()), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
