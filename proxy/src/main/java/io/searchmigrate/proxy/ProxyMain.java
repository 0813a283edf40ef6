package io.searchmigrate.proxy;

import io.searchmigrate.common.KeyValueOptions;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.Secret;
import io.searchmigrate.proxy.CaptureRules.HeaderMatch;
import io.searchmigrate.proxy.CaptureRules.SetHeader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar proxy.jar --listen 0.0.0.0:9201 --source http://es:9200 --kafka kafka:9092 --topic capture}:
 * runs the capture proxy until SIGTERM or SIGINT, then shuts down gracefully.
 */
@Command(name = "capture-proxy", mixinStandardHelpOptions = true, version = "search-migrate capture proxy 0.1.0", sortOptions = false,
    description = {"Forwards HTTP traffic to a source cluster unchanged and records every exchange into a Kafka topic.",
        "Stops gracefully on SIGTERM: no new connections, requests in flight finish, buffered captures are stored."})
public final class ProxyMain implements Callable<Integer> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "where clients connect")
  String listen;

  @Option(names = "--source", required = true, paramLabel = "URL", description = "the source cluster, http(s)://host:port")
  String source;

  @Option(names = "--target", paramLabel = "URL", description = {"the switchover target, http(s)://host:port: after a switch "
      + "(POST /mode?to=target on the admin port, or ./migrate proxy switch --to target) requests go there, not captured"})
  String target;

  @Option(names = "--mode", paramLabel = "source|target", defaultValue = "source",
      description = "where requests go from the start: target for a proxy restarted after a switchover (default: ${DEFAULT-VALUE})")
  String mode;

  @Option(names = "--target-ca", paramLabel = "PEM", description = "trust these CA certificates for an https target (default: the JDK's)")
  Path targetCa;

  @Option(names = "--target-insecure", description = "do not verify the https target's certificate or host name")
  boolean targetInsecure;

  @Option(names = "--target-user", description = "basic-auth user set on requests towards the target (Authorization replaced)")
  String targetUser;

  @Option(names = "--target-password-env", paramLabel = "VAR", description = "environment variable holding --target-user's password")
  String targetPasswordEnv;

  @Option(names = "--target-password-file", paramLabel = "FILE", description = "file holding --target-user's password")
  Path targetPasswordFile;

  @Option(names = "--target-set-header", paramLabel = "NAME=VALUE", description = {"add or replace a header towards the target "
      + "(repeatable; VALUE may be env:VAR or file:PATH), e.g. the target's own credentials"})
  List<String> targetSetHeaders = new ArrayList<>();

  @Option(names = "--switch-token", paramLabel = "env:VAR|file:PATH", description = {"what POST /mode must present to switch "
      + "(basic-auth password or bearer token); without it only clients on loopback may switch"})
  String switchToken;

  @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers, host:port[,host:port] (required unless --no-capture)")
  String kafka;

  @Option(names = "--topic", description = "the capture topic (required unless --no-capture)")
  String topic;

  @Option(names = "--no-capture", description = "forward only, capture nothing (to measure or diagnose the forwarding alone)")
  boolean noCapture;

  @Option(names = "--admin", paramLabel = "HOST:PORT|none",
      description = "where GET /health and GET /metrics answer (default: the listen host, listen port + 1)")
  String admin;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "serve clients over TLS with this certificate chain")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "the unencrypted PKCS#8 private key of --tls-cert")
  Path tlsKey;

  @Option(names = "--source-ca", paramLabel = "PEM", description = "trust these CA certificates for an https source (default: the JDK's)")
  Path sourceCa;

  @Option(names = "--source-insecure", description = "do not verify the https source's certificate or host name")
  boolean sourceInsecure;

  @Option(names = "--hold-mutating", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "hold the last bytes of POST/PUT/DELETE/PATCH until Kafka acknowledges their capture (default: on)")
  boolean holdMutating;

  @Option(names = "--hold-timeout", defaultValue = "2s", description = "forward a held request anyway after this (default: ${DEFAULT-VALUE})")
  String holdTimeout;

  @Option(names = "--on-capture-failure", paramLabel = "forward|reject", defaultValue = "forward",
      description = {"a held write whose capture Kafka does not acknowledge in time (or the full buffer cannot take): forward "
          + "it anyway and count it at risk, or reject it with 503 and Retry-After without completing it towards the source "
          + "(default: ${DEFAULT-VALUE})"})
  String onCaptureFailure;

  @Option(names = "--capture-buffer", defaultValue = "64MiB",
      description = "capture memory (records being built plus records waiting for Kafka); beyond it captures are dropped "
          + "and counted (default: ${DEFAULT-VALUE})")
  String captureBuffer;

  @Option(names = "--max-record", defaultValue = "1MiB", description = "largest capture record; payloads are split (default: ${DEFAULT-VALUE})")
  String maxRecord;

  @Option(names = "--max-header", defaultValue = "64KiB", description = "largest request head; larger gets 431 (default: ${DEFAULT-VALUE})")
  String maxHeader;

  @Option(names = "--head-timeout", defaultValue = "30s", description = "a request head must arrive within this; else 408 (default: ${DEFAULT-VALUE})")
  String headTimeout;

  @Option(names = "--idle-timeout", defaultValue = "5m", description = "close connections idle this long; 0 = never (default: ${DEFAULT-VALUE})")
  String idleTimeout;

  @Option(names = "--drain-timeout", defaultValue = "30s", description = "on shutdown, wait this long for requests in flight (default: ${DEFAULT-VALUE})")
  String drainTimeout;

  @Option(names = "--capture-credentials", description = "keep Authorization, Proxy-Authorization, Cookie, API-key and token headers, "
      + "and responses' Set-Cookie, in captures (default: their values are replaced by a marker; source and client get them whole)")
  boolean captureCredentials;

  @Option(names = "--max-connections", defaultValue = "10000",
      description = "client connections open at once; beyond it clients get 503 and the connection closes; 0 = no limit (default: ${DEFAULT-VALUE})")
  int maxConnections;

  @Option(names = "--threads", defaultValue = "0", description = "event loop threads (default: one per CPU)")
  int threads;

  @Option(names = "--node-id", description = "this proxy's id in capture records and connection ids (default: random)")
  String nodeId;

  @Option(names = "--suppress-method", paramLabel = "REGEX", description = "do not capture requests whose method matches (repeatable)")
  List<String> suppressMethods = new ArrayList<>();

  @Option(names = "--suppress-path", paramLabel = "REGEX", description = "do not capture requests whose path (without query) matches (repeatable)")
  List<String> suppressPaths = new ArrayList<>();

  @Option(names = "--suppress-header", paramLabel = "NAME=REGEX", description = "do not capture requests with a header value that matches (repeatable)")
  List<String> suppressHeaders = new ArrayList<>();

  @Option(names = "--set-header", paramLabel = "NAME=VALUE",
      description = {"add or replace a header towards the source (repeatable). VALUE may be env:VAR or file:PATH to keep",
          "secrets off the command line; values are never logged"})
  List<String> setHeaders = new ArrayList<>();

  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "a Kafka producer setting, e.g. security.protocol=SSL "
      + "(repeatable); a VALUE of env:NAME or file:PATH is read from there, so passwords stay off command lines")
  List<String> kafkaProperties = new ArrayList<>();

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new ProxyMain());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof IllegalArgumentException) {
        commandLine.getErr().println("error: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    int code = cli.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Parses proxy arguments into a configuration, as the proxy itself would; throws IllegalArgumentException saying what to fix. */
  public static ProxyConfig parse(List<String> args) {
    ProxyMain main = new ProxyMain();
    try {
      new CommandLine(main).parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return main.config();
  }

  /** The proxy's option reference, as {@code --help} prints it. */
  public static String usage() {
    return new CommandLine(new ProxyMain()).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  @Override
  public Integer call() throws InterruptedException {
    ProxyConfig config = config();
    ProxyServer server = ProxyServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      stopped.countDown();
    }, "proxy-shutdown"));
    PrintWriter out = new PrintWriter(System.out, true);
    out.println("ready: listening on " + ProxyServer.hostPort(server.address())
        + (server.adminAddress() != null ? ", admin on " + ProxyServer.hostPort(server.adminAddress()) : ""));
    stopped.await();
    return 0;
  }

  /** Turns the options into a configuration; throws IllegalArgumentException with what to fix. */
  ProxyConfig config() {
    if (!noCapture && (kafka == null || topic == null)) {
      throw new IllegalArgumentException("--kafka BOOTSTRAP and --topic T are required (or --no-capture to forward without capturing)");
    }
    InetSocketAddress listenAddress = hostPort("--listen", listen);
    URI sourceUri = clusterUri("--source", source);
    InetSocketAddress adminAddress = admin == null
        ? new InetSocketAddress(listenAddress.getHostString(), listenAddress.getPort() == 0 ? 0 : listenAddress.getPort() + 1)
        : admin.equalsIgnoreCase("none") ? null : hostPort("--admin", admin);
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both PEM files, or neither for plain HTTP");
    }
    if (sourceCa != null && sourceInsecure) {
      throw new IllegalArgumentException("--source-ca and --source-insecure contradict each other: pick one");
    }
    for (Path file : new Path[] {tlsCert, tlsKey, sourceCa}) {
      if (file != null && !Files.isReadable(file)) {
        throw new IllegalArgumentException("cannot read " + file + "; check the path and its permissions");
      }
    }
    long bufferBytes = size("--capture-buffer", captureBuffer);
    long recordBytes = size("--max-record", maxRecord);
    if (recordBytes < 16 * 1024 || recordBytes > 64L * 1024 * 1024) {
      throw new IllegalArgumentException("--max-record " + maxRecord + " is outside 16KiB..64MiB");
    }
    if (bufferBytes < recordBytes) {
      throw new IllegalArgumentException("--capture-buffer " + captureBuffer + " must hold at least one record (--max-record " + maxRecord + ")");
    }
    if (maxConnections < 0) {
      throw new IllegalArgumentException("--max-connections " + maxConnections + " is negative; give a count, or 0 for no limit");
    }
    Duration hold = holdMutating ? duration("--hold-timeout", holdTimeout) : Duration.ZERO;
    ProxyConfig.OnCaptureFailure onFailure = onCaptureFailure(hold);
    CaptureRules rules = new CaptureRules(patterns("--suppress-method", suppressMethods), patterns("--suppress-path", suppressPaths),
        headerMatches(), headerValues("--set-header", setHeaders));
    return ProxyConfig.defaults(listenAddress, sourceUri, noCapture ? null : kafka, noCapture ? null : topic)
        .withAdmin(adminAddress)
        .withTls(tlsCert, tlsKey)
        .withSourceTls(sourceCa, sourceInsecure)
        .withKafkaProperties(kafkaProperties())
        .withCapture(hold, bufferBytes, (int) recordBytes)
        .withLimits((int) size("--max-header", maxHeader), duration("--head-timeout", headTimeout), duration("--idle-timeout", idleTimeout))
        .withDrainTimeout(duration("--drain-timeout", drainTimeout))
        .withThreads(threads)
        .withNodeId(nodeId)
        .withRules(rules)
        .withCaptureCredentials(captureCredentials)
        .withMaxConnections(maxConnections)
        .withOnCaptureFailure(onFailure)
        .withTarget(targetCluster());
  }

  /** The switchover target's settings, or null without --target (then its other options are refused). */
  private ProxyConfig.TargetCluster targetCluster() {
    boolean startThere = switch (mode.trim().toLowerCase(Locale.ROOT)) {
      case "source" -> false;
      case "target" -> true;
      default -> throw new IllegalArgumentException("--mode '" + mode + "' is not a choice; expected source or target");
    };
    if (target == null) {
      if (startThere || targetCa != null || targetInsecure || targetUser != null || targetPasswordEnv != null
          || targetPasswordFile != null || !targetSetHeaders.isEmpty() || switchToken != null) {
        throw new IllegalArgumentException("--mode target and the --target-* and --switch-token options need --target URL");
      }
      return null;
    }
    URI targetUri = clusterUri("--target", target);
    if (targetCa != null && targetInsecure) {
      throw new IllegalArgumentException("--target-ca and --target-insecure contradict each other: pick one");
    }
    if (targetCa != null && !Files.isReadable(targetCa)) {
      throw new IllegalArgumentException("cannot read " + targetCa + "; check the path and its permissions");
    }
    List<SetHeader> headers = new ArrayList<>(headerValues("--target-set-header", targetSetHeaders));
    if ((targetPasswordEnv != null || targetPasswordFile != null) && targetUser == null) {
      throw new IllegalArgumentException("--target-password-env/--target-password-file go with --target-user NAME");
    }
    if (targetUser != null) {
      if ((targetPasswordEnv == null) == (targetPasswordFile == null)) {
        throw new IllegalArgumentException("--target-user " + targetUser + " needs its password from one of --target-password-env VAR "
            + "or --target-password-file FILE");
      }
      String password = secret("--target-password-" + (targetPasswordEnv != null ? "env" : "file"),
          targetPasswordEnv != null ? "env:" + targetPasswordEnv : "file:" + targetPasswordFile);
      headers.removeIf(h -> h.name().equalsIgnoreCase("Authorization"));
      headers.add(new SetHeader("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((targetUser + ":" + password).getBytes(StandardCharsets.UTF_8))));
    }
    String token = switchToken == null ? null : secret("--switch-token", switchToken);
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("--switch-token " + switchToken + " is empty");
    }
    return new ProxyConfig.TargetCluster(targetUri, targetCa, targetInsecure, headers, startThere, token);
  }

  /** A secret given as env:VAR, file:PATH or itself; never echoed back in an error. */
  private static String secret(String option, String reference) {
    try {
      return Secret.fromReference(reference).reveal();
    } catch (UserError e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  private ProxyConfig.OnCaptureFailure onCaptureFailure(Duration hold) {
    ProxyConfig.OnCaptureFailure policy = switch (onCaptureFailure.trim().toLowerCase(Locale.ROOT)) {
      case "forward" -> ProxyConfig.OnCaptureFailure.FORWARD;
      case "reject" -> ProxyConfig.OnCaptureFailure.REJECT;
      default -> throw new IllegalArgumentException("--on-capture-failure '" + onCaptureFailure
          + "' is not a choice; expected forward (serve clients whatever Kafka does) or reject (503 rather than an uncaptured write)");
    };
    if (policy == ProxyConfig.OnCaptureFailure.REJECT && (noCapture || hold.isZero())) {
      throw new IllegalArgumentException("--on-capture-failure reject needs writes held for their capture: drop "
          + (noCapture ? "--no-capture" : hold.isZero() && !holdMutating ? "--no-hold-mutating" : "--hold-timeout 0"));
    }
    return policy;
  }

  private static URI clusterUri(String option, String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (Exception e) {
      throw new IllegalArgumentException(option + " '" + url + "' is not a URL; expected http(s)://host:port");
    }
    if (uri.getScheme() == null || uri.getHost() == null
        || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException(option + " '" + url + "' is not an http(s) URL; expected http(s)://host:port");
    }
    if (uri.getRawUserInfo() != null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
      throw new IllegalArgumentException(option + " takes only scheme, host and port (the proxy forwards each request's own path; "
          + "for credentials use " + (option.equals("--source") ? "--set-header Authorization=env:VAR)" : "--target-user with "
          + "--target-password-env VAR, or --target-set-header Authorization=env:VAR)"));
    }
    return uri;
  }

  static InetSocketAddress hostPort(String option, String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(option + " '" + value + "' should be HOST:PORT, for example 127.0.0.1:9201");
    }
    String host = value.substring(0, colon).replace("[", "").replace("]", "");
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " '" + value + "' should be HOST:PORT with a port from 0 to 65535");
    }
  }

  static long size(String option, String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " '" + value + "' should be a size such as 65536, 64KiB or 1MiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    return switch (unit.charAt(0)) {
      case 'k' -> n * 1024;
      case 'm' -> n * 1024 * 1024;
      case 'g' -> n * 1024 * 1024 * 1024;
      default -> n;
    };
  }

  static Duration duration(String option, String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " '" + value + "' should be a duration such as 500ms, 30s, 5m or 0");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static List<Pattern> patterns(String option, List<String> regexes) {
    List<Pattern> patterns = new ArrayList<>();
    for (String r : regexes) {
      patterns.add(regex(option, r));
    }
    return patterns;
  }

  private static Pattern regex(String option, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(option + " '" + regex + "' is not a valid regular expression: " + e.getDescription());
    }
  }

  private List<HeaderMatch> headerMatches() {
    List<HeaderMatch> matches = new ArrayList<>();
    keyValues("--suppress-header", suppressHeaders).forEach((name, regex) -> matches.add(new HeaderMatch(name, regex("--suppress-header", regex))));
    return matches;
  }

  private static List<SetHeader> headerValues(String option, List<String> entries) {
    List<SetHeader> headers = new ArrayList<>();
    keyValues(option, entries).forEach((name, value) -> {
      if (!name.chars().allMatch(c -> c > ' ' && c < 0x7f && c != ':')) {
        throw new IllegalArgumentException(option + " name '" + name + "' is not a valid header name");
      }
      String resolved = secretValue(option, name, value);
      if (resolved.chars().anyMatch(c -> c == '\r' || c == '\n')) {
        throw new IllegalArgumentException(option + " " + name + ": the value must be one line");
      }
      headers.add(new SetHeader(name, resolved));
    });
    return headers;
  }

  /** VALUE, env:VAR or file:PATH (trailing newline dropped). */
  private static String secretValue(String option, String name, String value) {
    if (value.startsWith("env:")) {
      String v = System.getenv(value.substring(4));
      if (v == null) {
        throw new IllegalArgumentException(option + " " + name + "=" + value + ": the environment variable " + value.substring(4) + " is not set");
      }
      return v;
    }
    if (value.startsWith("file:")) {
      try {
        return Files.readString(Path.of(value.substring(5))).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException(option + " " + name + "=" + value + ": cannot read the file (" + e.getMessage() + ")");
      }
    }
    return value;
  }

  private Map<String, String> kafkaProperties() {
    try {
      return KeyValueOptions.parse("--kafka-property", kafkaProperties);
    } catch (UserError e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Map<String, String> keyValues(String option, List<String> entries) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(option + " '" + entry.replaceAll("=.*", "=...") + "' should be NAME=VALUE");
      }
      map.put(entry.substring(0, eq).trim(), entry.substring(eq + 1));
    }
    return map;
  }
}
