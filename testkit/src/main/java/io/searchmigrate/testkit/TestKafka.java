package io.searchmigrate.testkit;

import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.ProcessSupervisor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real Kafka brokers for tests, started through the product's own launcher ({@link LocalKafka}) as separate
 * processes. A broker already running under the same name is reused and left running; brokers this JVM
 * started are stopped when it exits (their data stay under MIGRATE_HOME/kafka/&lt;name&gt;).
 *
 * <pre>{@code
 * String bootstrap = TestKafka.shared().bootstrap();
 * LocalKafka.Broker mine = TestKafka.dedicated("test-kafka-outage");   // a test that stops and restarts it
 * TestKafka.stop(mine); TestKafka.restart(mine);
 * }</pre>
 */
public final class TestKafka {
  private static final Map<String, LocalKafka.Broker> BROKERS = new ConcurrentHashMap<>();
  private static final LocalKafka LAUNCHER = new LocalKafka(ProcessSupervisor.defaultHome(),
      line -> System.out.println("[test-kafka] " + line));

  private TestKafka() {}

  /** The broker every test in this JVM may share: "test-kafka". */
  public static LocalKafka.Broker shared() {
    return dedicated("test-kafka");
  }

  /** A broker of its own, for a test that stops and restarts it. */
  public static synchronized LocalKafka.Broker dedicated(String name) {
    LocalKafka.Broker known = BROKERS.get(name);
    if (known != null && known.isRunning()) {
      return known;
    }
    Optional<LocalKafka.Broker> running = LAUNCHER.find(name).filter(LocalKafka.Broker::isRunning);
    if (running.isPresent()) {
      BROKERS.put(name, running.get());
      return running.get();
    }
    boolean firstStartHere = known == null;
    LocalKafka.Broker started = LAUNCHER.start(name, 0, brokerLib());
    BROKERS.put(name, started);
    if (firstStartHere) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> LAUNCHER.stop(name), "stop-" + name));
    }
    return started;
  }

  /** Stops a broker (an outage, as far as its clients can tell). */
  public static void stop(LocalKafka.Broker broker) {
    LAUNCHER.stop(broker.name());
  }

  /** Starts a stopped broker again on the same port, with its data. */
  public static synchronized LocalKafka.Broker restart(LocalKafka.Broker broker) {
    LocalKafka.Broker started = LAUNCHER.start(broker.name(), broker.port(), brokerLib());
    BROKERS.put(broker.name(), started);
    return started;
  }

  private static Path brokerLib() {
    return LocalKafka.brokerLib(LocalProcesses.projectRoot(TestKafka.class));
  }
}
