package io.searchmigrate.launcher;

import io.searchmigrate.common.UserError;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
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
 * Starts and stops a real single-node Kafka broker (KRaft, combined broker and controller) on 127.0.0.1, as
 * a separate JVM running {@code kafka.Kafka} from the jars that the {@code kafka-local} module copies into
 * its {@code target/lib} (STACK.md §3a).
 *
 * <pre>{@code
 * LocalKafka kafka = new LocalKafka(ProcessSupervisor.defaultHome(), System.out::println);
 * Broker broker = kafka.start("kafka", 0, LocalKafka.brokerLib(projectRoot));   // 0 = a free port
 * ... broker.bootstrap() ...
 * kafka.stop("kafka");
 * }</pre>
 *
 * <p>Each broker keeps its configuration, data and log under {@code <home>/kafka/<name>} and is recorded by the
 * {@link ProcessSupervisor}; data survive a stop and start under the same name (that is how tests simulate an
 * outage).
 */
public final class LocalKafka {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final ProcessSupervisor supervisor;
  private final Consumer<String> log;

  public LocalKafka(Path home, Consumer<String> log) {
    this.supervisor = new ProcessSupervisor(home, log);
    this.log = log;
  }

  /** A broker this launcher started: where it listens and the PID that stops it. */
  public record Broker(SupervisedProcess process) {
    public String name() {
      return process.name();
    }

    public int port() {
      return process.port("broker");
    }

    public int controllerPort() {
      return process.port("controller");
    }

    public long pid() {
      return process.pid();
    }

    /** Its configuration, data and log. */
    public Path dir() {
      return process.dir();
    }

    public String bootstrap() {
      return bootstrap(port());
    }

    /** True while the recorded PID is alive and still this broker's JVM. */
    public boolean isRunning() {
      return process.isRunning();
    }

    private static String bootstrap(int port) {
      return "127.0.0.1:" + port;
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
    Path dir = supervisor.dir(ProcessKind.KAFKA, name);
    Optional<Broker> previous = supervisor.requireNotRunning(ProcessKind.KAFKA, name).map(Broker::new);
    String classPath = classPath(brokerLib);
    Set<Integer> taken = new HashSet<>(supervisor.portsInUse());
    int brokerPort = port > 0 ? LocalProcesses.requireFreePort(port)
        : previous.map(Broker::port).filter(LocalProcesses::isPortFree).orElseGet(() -> LocalProcesses.freePort(taken));
    taken.add(brokerPort);
    int controllerPort = previous.map(Broker::controllerPort).filter(p -> p != brokerPort && LocalProcesses.isPortFree(p))
        .orElseGet(() -> LocalProcesses.freePort(taken));
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
    Process process = supervisor.startJava(ProcessKind.KAFKA, name, jvm, classPath, "kafka.Kafka", List.of(config.toString()), logFile);
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("broker", brokerPort);
    ports.put("controller", controllerPort);
    Broker broker = new Broker(supervisor.record(new SupervisedProcess(ProcessKind.KAFKA, name, process.pid(),
        supervisor.javaMarker(ProcessKind.KAFKA, name), dir, logFile, Broker.bootstrap(brokerPort), ports, Map.of())));
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
      ProcessSupervisor.pause(250, "waiting for the Kafka broker to start");
    }
    supervisor.stop(broker.process(), Duration.ofSeconds(10));
    throw new UserError("Kafka broker '" + name + "' did not serve metadata within " + START_TIMEOUT.toSeconds() + " s.\n--- "
        + logFile + "\n" + LocalProcesses.tail(logFile, 30));
  }

  /** Stops a broker by its recorded PID (SIGTERM, then SIGKILL after 60 s). Returns it, or empty if unknown. */
  public Optional<Broker> stop(String name) {
    return supervisor.stop(ProcessKind.KAFKA, name, Duration.ofSeconds(60)).map(Broker::new);
  }

  public Optional<Broker> find(String name) {
    return supervisor.find(ProcessKind.KAFKA, name).map(Broker::new);
  }

  /** Every broker this launcher has recorded, running or not, by name. */
  public List<Broker> list() {
    return supervisor.list(ProcessKind.KAFKA).stream().map(Broker::new).toList();
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
      PinnedChecksums pins = PinnedChecksums.load();
      entries.forEach(jar -> pins.verifyJar(Path.of(jar)));
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
}
