package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.Durations;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.http.ClusterUnreachableException;
import io.searchmigrate.common.http.Secret;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalProxies;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migrate proxy switch --to target|source}: moves the clients of a running capture proxy to the target (cut-over)
 * or back to the source (rollback). Requests that arrive after the switch go to the new cluster; those already received
 * are answered by the cluster they were sent to; no client connection is closed.
 *
 * <pre>
 * ./migrate proxy switch --to target            # only when the replay's lag is 0 and the last validation passed
 * ./migrate proxy switch --to target --force    # whatever they say (each unmet condition is printed)
 * ./migrate proxy switch --to source            # roll back: never refused
 * </pre>
 */
@Command(name = "switch", mixinStandardHelpOptions = true, description = {
    "Switch the running capture proxy: --to target sends requests arriving from now on to the target (not captured); "
        + "--to source rolls back. Requests already received finish where they were sent; keep-alive connections stay open.",
    "To the target only when the replay has caught up (lag 0 in group " + MigrationParts.REPLAY_GROUP + " on the capture "
        + "topic) and the last validation (validate --history) passed, unless --force. Rollback is never refused."})
final class ProxySwitch implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--to", required = true, paramLabel = "target|source", description = "where requests go from now on")
  String to;

  @Option(names = "--force", description = "switch to the target although the replay lags or the last validation did not pass")
  boolean force;

  @Option(names = "--name", defaultValue = ProxyCommand.DEFAULT_NAME, description = "the local proxy (default: ${DEFAULT-VALUE})")
  String name;

  @Option(names = "--switch-token", paramLabel = "env:VAR|file:PATH", description = "the token of a proxy not started here "
      + "(its --switch-token); a proxy started by ./migrate proxy start has its own, read from its folder")
  String switchToken;

  @Option(names = "--drain-timeout", defaultValue = "60s", description = "how long to wait for the requests in flight to the "
      + "cluster left behind (default: ${DEFAULT-VALUE})")
  String drainTimeout;

  @Mixin
  MigrationFlags flags;

  @Override
  public Integer call() {
    if (!to.equals("target") && !to.equals("source")) {
      throw new UserError("--to takes target or source, not '" + to + "'");
    }
    String from = to.equals("target") ? "source" : "target";
    Duration drain = Durations.parse(drainTimeout, "--drain-timeout");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LocalProxies proxies = ProxyCommand.proxies(err);
    Optional<LocalProxies.Proxy> local = proxies.find(name).filter(LocalProxies.Proxy::isRunning);
    String admin = admin(local);
    Optional<Secret> token = switchToken != null ? Optional.of(Secret.fromReference(switchToken))
        : local.filter(p -> admin.equals(p.admin())).flatMap(p -> proxies.switchToken(name));

    JsonNode before = mode(admin, "GET", null, token);
    if (before.path("target").isNull() || before.path("target").isMissingNode()) {
      throw new UserError("the proxy at " + admin + " has no switchover target; stop it and start it again with --target URL "
          + "(or target.endpoint in migration.yaml): ./migrate proxy stop && ./migrate proxy start ... --target URL");
    }
    String targetUrl = before.path("target").asText();
    if (before.path("mode").asText().equals(to)) {
      out.println("the proxy at " + admin + " sends requests to the " + to + " already" + (to.equals("target") ? " (" + targetUrl + ")" : ""));
      return 0;
    }
    if (to.equals("target")) {
      List<String> unmet = unmetConditions(err);
      if (!unmet.isEmpty() && !force) {
        err.println("not switching to the target; not satisfied:");
        unmet.forEach(u -> err.println("  - " + u));
        err.println("Bring the replay to lag 0 and validate (./migrate status shows both), or pass --force to switch anyway.");
        return Migrate.RUN_FAILED;
      }
      if (!unmet.isEmpty()) {
        err.println("--force: switching to the target although:");
        unmet.forEach(u -> err.println("  - " + u));
      }
    }
    JsonNode after = mode(admin, "POST", "to=" + to, token);
    if (local.isPresent() && admin.equals(local.get().admin())) {
      proxies.recordMode(name, to, local.get().target());
    }
    long left = awaitDrained(admin, from, drain, token, err);
    if (to.equals("target")) {
      out.println("switched: requests arriving at the proxy go to the target " + targetUrl + " and are not captured; "
          + (left == 0 ? "every request sent to the source was answered" : left + " request(s) to the source still unanswered after "
          + drain.toSeconds() + " s"));
      out.println("next: keep the replay running until its lag is 0 (./migrate status), watch the target; roll back with "
          + "./migrate proxy switch --to source");
    } else {
      long writes = after.path("mutating_requests_to_target").asLong();
      out.println("rolled back: requests arriving at the proxy go to the source and are captured again; "
          + (left == 0 ? "every request sent to the target was answered" : left + " request(s) to the target still unanswered after "
          + drain.toSeconds() + " s"));
      if (writes > 0) {
        out.println("note: " + writes + " write request(s) went to the target while switched over (since the proxy started); "
            + "the source does not have them and the replay does not copy them back: apply them to the source again, or "
            + "compare with ./migrate validate clusters");
      }
    }
    return left == 0 ? 0 : Migrate.RUN_FAILED;
  }

  /** Where the proxy's admin port answers: --proxy-admin typed, else the local proxy's, else proxy.admin configured. */
  private String admin(Optional<LocalProxies.Proxy> local) {
    if (flags.proxyAdmin != null && (ConfigDefaults.typed(spec, "--proxy-admin") || local.isEmpty())) {
      return flags.proxyAdmin;
    }
    if (local.isPresent()) {
      if (local.get().admin() == null) {
        throw new UserError("the proxy '" + name + "' runs without an admin port (--admin none), so it cannot be switched; "
            + "restart it with --admin HOST:PORT");
      }
      return local.get().admin();
    }
    throw new UserError("no proxy '" + name + "' runs here and no --proxy-admin HOST:PORT (proxy.admin) names one; start it "
        + "with: ./migrate proxy start --listen HOST:PORT --source URL --target URL --kafka BOOTSTRAP --topic T");
  }

  /** What keeps a switch to the target from being safe: the replay behind or its lag unknown, no passing validation. */
  private List<String> unmetConditions(PrintWriter err) {
    MigrationParts parts = new MigrationParts(flags, err);
    List<String> unmet = new ArrayList<>();
    MigrationParts.ReplayLag lag = parts.replayLag();
    if (lag.records() < 0) {
      unmet.add("replay lag unknown: " + lag.row().details() + (lag.row().action() != null ? " (" + lag.row().action() + ")" : ""));
    } else if (lag.records() > 0) {
      unmet.add("replay lag is " + lag.records() + " record(s), not 0: the target lacks captured requests; let the replay catch up");
    }
    MigrationParts.Row validation = parts.validation();
    if (validation.state() == MigrationParts.State.SKIP) {
      unmet.add("no validation verdict: " + validation.details() + " (run ./migrate validate clusters --history DIR)");
    } else if (validation.state() == MigrationParts.State.FAIL) {
      unmet.add("the last validation did not pass: " + validation.details());
    }
    return unmet;
  }

  /** Waits until nothing is in flight to {@code cluster}; returns how many requests still are when the time is up. */
  private static long awaitDrained(String admin, String cluster, Duration timeout, Optional<Secret> token, PrintWriter err) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastReport = 0;
    while (true) {
      long inFlight = mode(admin, "GET", null, token).path("in_flight").path(cluster).asLong(-1);
      if (inFlight == 0 || System.nanoTime() >= deadline) {
        return inFlight;
      }
      if (System.nanoTime() - lastReport > Duration.ofSeconds(2).toNanos()) {
        err.println("waiting for " + (inFlight < 0 ? "the count of" : Long.toString(inFlight)) + " request(s) in flight to the "
            + cluster + " to be answered");
        lastReport = System.nanoTime();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted while waiting for the requests in flight to the " + cluster, e);
      }
    }
  }

  private static JsonNode mode(String admin, String method, String query, Optional<Secret> token) {
    ClusterResponse response;
    try {
      response = LocalProxies.adminMode(admin, method, query, token);
    } catch (ClusterUnreachableException e) {
      throw new UserError("the proxy's admin port " + admin + " does not answer: " + e.getMessage() + "; is the proxy running "
          + "(./migrate proxy status)?", e);
    }
    JsonNode body;
    try {
      body = Json.parse(response.bodyText());
    } catch (RuntimeException e) {
      throw new UserError("http://" + admin + "/mode answered " + response.status() + " and not the proxy's JSON: "
          + response.bodyText().strip() + "; is --proxy-admin the capture proxy's admin port?", e);
    }
    if (response.status() == 403) {
      throw new UserError("the proxy refused the switch: " + body.path("error").asText() + "; for a proxy not started here give "
          + "--switch-token env:VAR|file:PATH");
    }
    if (response.status() != 200) {
      throw new UserError("the proxy answered " + response.status() + ": " + body.path("error").asText(body.toString()));
    }
    return body;
  }

  /** One line for proxy status: where requests go and what went to the target. */
  static String describeMode(String admin, String target) {
    JsonNode mode;
    try {
      mode = mode(admin, "GET", null, Optional.empty());
    } catch (UserError e) {
      return "mode: unknown (" + e.getMessage() + ")";
    }
    if (mode.path("mode").asText().equals("target")) {
      return "mode: target (switched over): requests go to " + mode.path("target").asText() + ", not captured; "
          + mode.path("requests_to_target").asLong() + " request(s) sent there (roll back: ./migrate proxy switch --to source)";
    }
    return "mode: source (capturing)" + (target != null || !mode.path("target").isNull()
        ? "; switchover target " + mode.path("target").asText() + " (./migrate proxy switch --to target)" : "; no switchover target");
  }
}
