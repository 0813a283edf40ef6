package io.searchmigrate.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts and stops a real single-node Kafka broker (KRaft, combined broker and controller) on 127.0.0.1, as
 * a separate JVM running {@code kafka.Kafka} from the jars that the {@code kafka-local} module copies into
 * its {@code target/lib} (STACK.md §3a).
 *
 * <pre>{@code
 * LocalKafka kafka = new LocalKafka(LocalClusters.defaultHome(), System.out::println);
 * Broker broker = kafka.start("kafka", 0, LocalKafka.brokerLib(projectRoot));   // 0 = a free port
 * ... broker.bootstrap() ...
 * kafka.stop("kafka");
 * }</pre>
 *
 * <p>Each broker keeps its configuration, data and log under {@code <home>/kafka/<name>}; data survive a
 * stop and start under the same name (that is how tests simulate an outage).
 */
public final class LocalKafka {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path home;
  private final Consumer<String> log;

  public LocalKafka(Path home, Consumer<String> log) {
    this.home = home;
    this.log = log;
  }

  /** A broker this launcher started: where it listens and the PID that stops it. */
  public record Broker(String name, int port, int controllerPort, long pid, Path dir) {
    public String bootstrap() {
      return "127.0.0.1:" + port;
    }

    /** True while the recorded PID is alive and still this broker's JVM. */
    public boolean isRunning() {
      return LocalProcesses.isRunning(pid, dir.resolve("server.properties").toString());
    }

    JsonNode toJson() {
      ObjectNode node = Json.object();
      node.put("name", name).put("port", port).put("controller_port", controllerPort).put("pid", pid)
          .put("bootstrap", bootstrap()).put("dir", dir.toString());
      return node;
    }

    static Broker fromJson(JsonNode node) {
      return new Broker(node.path("name").asText(), node.path("port").asInt(), node.path("controller_port").asInt(),
          node.path("pid").asLong(), Path.of(node.path("dir").asText()));
    }
  }

  /** Where the build puts the broker's class path: {@code <project>/kafka-local/target/lib}. */
  public static Path brokerLib(Path projectRoot) {
    return projectRoot.resolve("kafka-local").resolve("target").resolve("lib");
  }

  /**
   * Starts a broker named {@code name} on {@code port} (0: the previous port of this name if free, else the
   * first free one from MIGRATE_PORT_BASE) and waits until it serves metadata requests.
   */
  public Broker start(String name, int port, Path brokerLib) {
    if (!NAME.matcher(name).matches()) {
      throw new UserError("Kafka broker name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
    }
    Optional<Broker> previous = find(name);
    if (previous.isPresent() && previous.get().isRunning()) {
      throw new UserError("Kafka broker '" + name + "' is already running at " + previous.get().bootstrap() + " (pid "
          + previous.get().pid() + "); stop it first: ./migrate kafka stop-local --name " + name);
    }
    String classPath = classPath(brokerLib);
    int brokerPort = port > 0 ? LocalProcesses.requireFreePort(port)
        : previous.map(Broker::port).filter(LocalProcesses::isPortFree).orElseGet(() -> LocalProcesses.freePort(Set.of()));
    int controllerPort = previous.map(Broker::controllerPort).filter(p -> p != brokerPort && LocalProcesses.isPortFree(p))
        .orElseGet(() -> LocalProcesses.freePort(Set.of(brokerPort)));
    Path dir = home.resolve("kafka").resolve(name);
    Path data = dir.resolve("data");
    Path config = dir.resolve("server.properties");
    Path log4j = dir.resolve("log4j2.properties");
    long started = System.nanoTime();
    try {
      Files.createDirectories(data);
      Files.writeString(config, serverProperties(brokerPort, controllerPort, data));
      Files.writeString(log4j, LOG4J);
    } catch (IOException e) {
      throw new UserError("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
    List<String> jvm = List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-Dlog4j2.configurationFile=" + log4j);
    Path logFile = dir.resolve("broker.log");
    if (!Files.exists(data.resolve("meta.properties"))) {
      format(jvm, classPath, config, logFile, name);
    }
    log.accept("starting Kafka broker '" + name + "' on 127.0.0.1:" + brokerPort + " (controller " + controllerPort + ", data " + data + ")");
    Process process = LocalProcesses.startJava(jvm, classPath, "kafka.Kafka", List.of(config.toString()), logFile);
    Broker broker = new Broker(name, brokerPort, controllerPort, process.pid(), dir);
    writeState(broker);
    long deadline = started + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new UserError("Kafka broker '" + name + "' exited during start-up (code " + process.exitValue() + ").\n--- "
            + logFile + "\n" + LocalProcesses.tail(logFile, 30));
      }
      if (KafkaProbe.brokersListed("127.0.0.1", brokerPort, 2000) > 0) {
        log.accept(String.format("Kafka broker '%s' is up at %s (pid %d) after %.1f s", name, broker.bootstrap(), broker.pid(),
            (System.nanoTime() - started) / 1e9));
        return broker;
      }
      sleep(250);
    }
    LocalProcesses.stop(process.pid(), Duration.ofSeconds(10), "Kafka broker '" + name + "'", log);
    throw new UserError("Kafka broker '" + name + "' did not serve metadata within " + START_TIMEOUT.toSeconds() + " s.\n--- "
        + logFile + "\n" + LocalProcesses.tail(logFile, 30));
  }

  /** Stops a broker by its recorded PID (SIGTERM, then SIGKILL after 60 s). Returns it, or empty if unknown. */
  public Optional<Broker> stop(String name) {
    Optional<Broker> broker = find(name);
    broker.ifPresent(b -> {
      if (b.isRunning() && LocalProcesses.stop(b.pid(), Duration.ofSeconds(60), "Kafka broker '" + name + "'", log)) {
        log.accept("stopped Kafka broker '" + name + "' (pid " + b.pid() + ")");
      } else {
        log.accept("Kafka broker '" + name + "' was not running");
      }
    });
    return broker;
  }

  public Optional<Broker> find(String name) {
    Path state = home.resolve("kafka").resolve(name).resolve("broker.json");
    try {
      return Files.isRegularFile(state) ? Optional.of(Broker.fromJson(Json.parse(Files.readAllBytes(state)))) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every broker this launcher has recorded, running or not. */
  public List<Broker> list() {
    Path dir = home.resolve("kafka");
    List<Broker> brokers = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        entries.sorted().forEach(entry -> find(entry.getFileName().toString()).ifPresent(brokers::add));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return brokers;
  }

  private void format(List<String> jvm, String classPath, Path config, Path logFile, String name) {
    List<String> args = List.of("format", "-t", randomClusterId(), "-c", config.toString());
    Process format = LocalProcesses.startJava(jvm, classPath, "kafka.tools.StorageTool", args, logFile);
    try {
      if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
        format.destroyForcibly();
        throw new UserError("formatting the storage of Kafka broker '" + name + "' failed.\n--- " + logFile + "\n"
            + LocalProcesses.tail(logFile, 20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while formatting Kafka storage", e);
    }
  }

  private static String classPath(Path brokerLib) {
    try (Stream<Path> jars = Files.isDirectory(brokerLib) ? Files.list(brokerLib) : Stream.empty()) {
      List<String> entries = jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted().toList();
      if (entries.stream().noneMatch(p -> p.contains("kafka_2.13"))) {
        throw new UserError("the Kafka broker jars are not in " + brokerLib + "; build them with: mvn -B -DskipTests package -pl kafka-local");
      }
      return String.join(File.pathSeparator, entries);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A KRaft cluster id: 16 random bytes, base64url without padding, not starting with '-' (as Kafka's Uuid). */
  private static String randomClusterId() {
    SecureRandom random = new SecureRandom();
    while (true) {
      ByteBuffer bytes = ByteBuffer.allocate(16).putLong(random.nextLong()).putLong(random.nextLong());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  private static String serverProperties(int port, int controllerPort, Path data) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs=" + data,
        "num.partitions=4",
        "auto.create.topics.enable=true",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "");
  }

  private static final String LOG4J = String.join("\n",
      "appender.out.type=Console",
      "appender.out.name=out",
      "appender.out.layout.type=PatternLayout",
      "appender.out.layout.pattern=[%d] %p %m (%c)%n",
      "rootLogger.level=INFO",
      "rootLogger.appenderRef.out.ref=out",
      "logger.kafka.name=kafka",
      "logger.kafka.level=INFO",
      "logger.state.name=state.change.logger",
      "logger.state.level=WARN",
      "");

  private void writeState(Broker broker) {
    try {
      Files.writeString(broker.dir().resolve("broker.json"), Json.toPrettyString(broker.toJson()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }
}
