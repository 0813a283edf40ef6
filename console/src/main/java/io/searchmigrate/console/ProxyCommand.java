package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.LocalProxies;
import io.searchmigrate.launcher.LocalProxies.ProxyRequest;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.proxy.ProxyConfig;
import io.searchmigrate.proxy.ProxyMain;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code migrate proxy ...}: the capture proxy as a background process. The launcher's {@link LocalProxies} runs,
 * records and stops it; this command checks the proxy's options with the proxy's own parser and prints.
 */
@Command(name = "proxy", description = "Start, inspect and stop the capture proxy (live traffic into Kafka).",
    subcommands = {ProxyCommand.Start.class, ProxyCommand.Stop.class, ProxyCommand.Status.class, ProxyCommand.Options.class})
final class ProxyCommand implements Runnable {
  static final String DEFAULT_NAME = "proxy";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static LocalProxies proxies(PrintWriter err) {
    return new LocalProxies(ProcessSupervisor.defaultHome(), err::println);
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
      List<String> args = new ArrayList<>(List.of("--listen", listen, "--source", source, "--kafka", kafka, "--topic", topic));
      args.addAll(more);
      String configuredAdmin = ConfigCommand.config(spec).get("proxy.admin");
      if (configuredAdmin != null && more.stream().noneMatch(a -> a.equals("--admin") || a.startsWith("--admin="))) {
        args.addAll(List.of("--admin", configuredAdmin)); // where status looks for the proxy's health and counters
      }
      ProxyConfig config;
      try {
        config = ProxyMain.parse(args);
      } catch (IllegalArgumentException e) {
        boolean unknownOption = e.getCause() instanceof CommandLine.ParameterException;
        throw new UserError(e.getMessage() + (unknownOption ? " (./migrate proxy options lists the proxy's options)" : ""), e);
      }
      ProxyRequest request = ProxyRequest.of(name, args, config.listen(), config.admin(), config.source().toString(), config.topic())
          .withHeapFor(config.captureBufferBytes());
      LocalProxies.Proxy proxy = proxies(spec.commandLine().getErr())
          .start(request, LocalProxies.classPath(LocalProcesses.projectRoot(Migrate.class)));
      spec.commandLine().getOut().println(proxy.listen());
      return 0;
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
      proxies(spec.commandLine().getErr()).stop(name).orElseThrow(() -> new UserError("no proxy named '" + name
          + "' was started here; start one with: ./migrate proxy start --listen HOST:PORT --source URL --kafka BOOTSTRAP --topic T"));
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
      Optional<LocalProxies.Proxy> found = proxies(spec.commandLine().getErr()).find(name);
      if (found.isEmpty() || !found.get().isRunning()) {
        out.println("proxy '" + name + "': not running");
        return Migrate.RUN_FAILED;
      }
      LocalProxies.Proxy s = found.get();
      out.println("proxy '" + name + "': running (pid " + s.pid() + "), " + s.listen() + " -> " + s.source() + ", topic '" + s.topic() + "'");
      if (s.admin() != null) {
        out.println("health: " + LocalProxies.adminGet(s.admin(), "/health").strip());
        LocalProxies.adminGet(s.admin(), "/metrics").lines()
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
}
