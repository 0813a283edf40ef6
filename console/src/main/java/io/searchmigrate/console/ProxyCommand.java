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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migrate proxy ...}: the capture proxy as a background process. The launcher's {@link LocalProxies} runs,
 * records and stops it; this command checks the proxy's options with the proxy's own parser and prints.
 */
@Command(name = "proxy", description = "Start, inspect and stop the capture proxy (live traffic into Kafka).",
    subcommands = {ProxyCommand.Start.class, ProxyCommand.Stop.class, ProxyCommand.Status.class, ProxySwitch.class,
        ProxyCommand.Options.class})
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

  @Command(name = "start", mixinStandardHelpOptions = true, description = {
      "Start the capture proxy in the background and wait until it serves. Every option of the proxy " +
      "may be given (./migrate proxy options lists them all, e.g. --tls-cert, --set-header, " +
      "--suppress-path, --hold-timeout).",
      "With --target (or target.endpoint in migration.yaml) it can be switched over later: ./migrate proxy switch --to target."})
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

    @Mixin
    ClusterOptions.Target target;

    @CommandLine.Unmatched
    List<String> more = new ArrayList<>();

    @Override
    public Integer call() {
      List<String> args = new ArrayList<>(List.of("--listen", listen, "--source", source, "--kafka", kafka, "--topic", topic));
      args.addAll(more);
      LocalProxies proxies = proxies(spec.commandLine().getErr());
      args.addAll(targetArguments(proxies));
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
          .withHeapFor(config.captureBufferBytes())
          .withTarget(config.target() == null ? null : config.target().url().toString());
      LocalProxies.Proxy proxy = proxies.start(request, LocalProxies.classPath(LocalProcesses.projectRoot(Migrate.class)));
      if (config.target() != null && config.target().startThere()) {
        spec.commandLine().getErr().println("the proxy forwards to the target " + config.target().url() + " (not capturing)");
      }
      spec.commandLine().getOut().println(proxy.listen());
      return 0;
    }

    /**
     * The switchover target as the proxy's options: its URL, TLS settings and basic-auth user (the password stays in
     * its variable or file; the proxy reads it), a switch token only this user can read, and the mode it was last
     * switched to, so a restarted proxy keeps sending clients where they were.
     */
    private List<String> targetArguments(LocalProxies proxies) {
      if (target.url == null) {
        return List.of();
      }
      boolean typed = ConfigDefaults.typed(spec, "--target");
      if (target.auth != null && target.auth.strip().equalsIgnoreCase("sigv4")) {
        String why = "the proxy forwards the clients' bytes and cannot sign requests with SigV4 (target auth sigv4)";
        if (typed) {
          throw new UserError(why + "; switch such clients over by pointing them at the target themselves (see the README, "
              + "'Cutting over'), or give the proxy a target it reaches with basic auth or --target-set-header");
        }
        spec.commandLine().getErr().println("note: " + why + ", so this proxy has no switchover target; move clients to "
            + target.url + " by DNS or load balancer instead (README, 'Cutting over')");
        return List.of();
      }
      target.endpoint(); // the same checks as every other command: the password's variable or file is readable
      List<String> args = new ArrayList<>(List.of("--target", target.url));
      if (target.caCert != null) {
        args.addAll(List.of("--target-ca", target.caCert.toAbsolutePath().toString()));
      }
      if (target.insecure) {
        args.add("--target-insecure");
      }
      if (target.user != null) {
        args.addAll(List.of("--target-user", target.user));
        if (target.passwordEnv != null) {
          args.addAll(List.of("--target-password-env", target.passwordEnv));
        } else if (target.passwordFile != null) {
          args.addAll(List.of("--target-password-file", target.passwordFile.toAbsolutePath().toString()));
        }
      }
      if (!given("--switch-token")) {
        args.addAll(List.of("--switch-token", "file:" + proxies.switchTokenFile(name)));
      }
      if (!given("--mode") && proxies.recordedMode(name, target.url).orElse("source").equals("target")) {
        spec.commandLine().getErr().println("note: proxy '" + name + "' was last switched to the target, so it starts there "
            + "(give --mode source to start on the source)");
        args.addAll(List.of("--mode", "target"));
      }
      return args;
    }

    private boolean given(String option) {
      return more.stream().anyMatch(a -> a.equals(option) || a.startsWith(option + "="));
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
        out.println(ProxySwitch.describeMode(s.admin(), s.target()));
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
