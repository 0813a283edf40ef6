package io.searchmigrate.console;

import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureTopicReader;
import io.searchmigrate.common.KeyValueOptions;
import io.searchmigrate.common.UserError;
import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureTopicReader;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.ProcessSupervisor;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code migrate kafka ...}: a local Kafka broker for trying things out, and a readable dump of captured traffic. */
@Command(name = "kafka", description = "Run a local Kafka broker, read captured traffic, and look after topics and their readers.",
    subcommands = {KafkaCommand.StartLocal.class, KafkaCommand.StopLocal.class, KafkaCommand.Dump.class,
        KafkaToolsCommand.Topics.class, KafkaToolsCommand.Lag.class, KafkaToolsCommand.DeleteTopic.class})
final class KafkaCommand implements Runnable {
  static final String DEFAULT_NAME = "kafka";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static LocalKafka launcher(PrintWriter err) {
    return new LocalKafka(ProcessSupervisor.defaultHome(), err::println);
  }

  @Command(name = "start-local", mixinStandardHelpOptions = true, description =
      "Start a single-node Kafka broker (KRaft) on 127.0.0.1 as a background process, from the jars " +
      "the build put in kafka-local/target/lib. Its data stay under the cache folder and survive " +
      "stop-local/start-local; prints the bootstrap address.")
  static final class StartLocal implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", description = "broker port (default: ${DEFAULT-VALUE}; 0 = the first free one from 19200)")
    int port;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "broker name (default: ${DEFAULT-VALUE})")
    String name;

    @Override
    public Integer call() {
      LocalKafka.Broker broker = launcher(spec.commandLine().getErr())
          .start(name, port, LocalKafka.brokerLib(LocalProcesses.projectRoot(Migrate.class)));
      spec.commandLine().getOut().println(broker.bootstrap());
      return 0;
    }
  }

  @Command(name = "stop-local", mixinStandardHelpOptions = true, description =
      "Stop a broker started by start-local (by its recorded PID).")
  static final class StopLocal implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "broker name (default: ${DEFAULT-VALUE})")
    String name;

    @Override
    public Integer call() {
      LocalKafka kafka = launcher(spec.commandLine().getErr());
      if (kafka.stop(name).isEmpty()) {
        throw new UserError("no local Kafka broker named '" + name + "'; known: "
            + kafka.list().stream().map(LocalKafka.Broker::name).toList() + ". Start one with: ./migrate kafka start-local");
      }
      return 0;
    }
  }

  @Command(name = "dump", mixinStandardHelpOptions = true, description =
      "Print the traffic a capture proxy recorded in a topic, one connection after the other: the " +
      "exact bytes each client sent and received (http), or one JSON object per exchange with the " +
      "bytes in base64 (json).")
  static final class Dump implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--topic", required = true, description = "the capture topic")
    String topic;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers (default: the broker of start-local)")
    String kafka;

    @Option(names = "--format", defaultValue = "http", description = "http or json (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--connection", description = "only this connection id")
    String connection;

    @Option(names = "--max-body", defaultValue = "16384", description = "http format: print at most this many body bytes (default: ${DEFAULT-VALUE})")
    int maxBody;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "a Kafka consumer setting, e.g. security.protocol=SSL (repeatable); a VALUE of env:NAME or file:PATH is read from there")
    List<String> kafkaProperties = List.of();

    @Override
    public Integer call() {
      if (!format.equals("http") && !format.equals("json")) {
        throw new UserError("--format " + format + " is not known; use http or json");
      }
      String bootstrap = kafka != null ? kafka : localBootstrap(spec.commandLine().getErr());
      CaptureTopicReader.Result result;
      try {
        result = CaptureTopicReader.read(bootstrap, topic, properties(), Duration.ofSeconds(60));
      } catch (IllegalStateException e) {
        throw new UserError(e.getMessage() + ". Check --kafka and --topic (the proxy's --topic)", e);
      }
      CaptureAssembler assembler = new CaptureAssembler();
      result.records().forEach(assembler::add);
      List<CaptureAssembler.Connection> connections = assembler.connections().stream()
          .filter(c -> connection == null || c.id().equals(connection)).toList();
      PrintWriter out = spec.commandLine().getOut();
      CaptureDumpPrinter printer = new CaptureDumpPrinter(out, maxBody);
      for (CaptureAssembler.Connection c : connections) {
        if (format.equals("json")) {
          printer.json(c);
        } else {
          printer.http(c);
        }
      }
      out.flush();
      PrintWriter err = spec.commandLine().getErr();
      err.println(connections.size() + " connections, " + connections.stream().mapToInt(c -> c.exchanges().size()).sum()
          + " exchanges from " + result.records().size() + " records in topic '" + topic + "'");
      if (result.undecodable() > 0) {
        err.println("warning: " + result.undecodable() + " records are not capture records (first: " + result.firstProblem() + ")");
      }
      return 0;
    }

    private Map<String, String> properties() {
      return KeyValueOptions.parse("--kafka-property", kafkaProperties);
    }
  }

  /** The bootstrap of the broker start-local runs, for commands given no --kafka. */
  static String localBootstrap(PrintWriter err) {
    return launcher(err).find(DEFAULT_NAME).filter(LocalKafka.Broker::isRunning).map(LocalKafka.Broker::bootstrap)
        .orElseThrow(() -> new UserError("no --kafka given and no local broker is running; pass --kafka HOST:PORT, "
            + "or start one with: ./migrate kafka start-local"));
  }
}
