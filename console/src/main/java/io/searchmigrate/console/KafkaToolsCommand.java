package io.searchmigrate.console;

import io.searchmigrate.common.KeyValueOptions;
import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Tools for the capture topic and its readers: list topics, show how far a consumer group (the replay) lags behind,
 * delete a topic. They take {@code --kafka} (default: the broker {@code kafka start-local} runs) and
 * {@code --kafka-property} like the other Kafka commands.
 */
final class KafkaToolsCommand {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaToolsCommand() {}

  /** Where the broker is and how to talk to it. */
  static final class Connection {
    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers (default: the local broker)")
    String kafka;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "a Kafka client setting (repeatable); a VALUE of "
        + "env:NAME or file:PATH is read from there")
    List<String> properties = List.of();

    Properties config(PrintWriter err) {
      Properties p = new Properties();
      p.putAll(KeyValueOptions.parse("--kafka-property", properties));
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka != null ? kafka : KafkaCommand.localBootstrap(err));
      p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
      p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
      return p;
    }
  }

  static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what, String bootstrap) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new UserError(what + ": the topic does not exist on " + bootstrap + " (kafka topics lists them)");
      }
      throw new UserError(what + " failed on " + bootstrap + ": " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new UserError("Kafka at " + bootstrap + " did not answer within " + TIMEOUT.toSeconds() + " s (" + what
          + "). Check --kafka and that the broker runs");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted: " + what);
    }
  }

  @Command(name = "topics", mixinStandardHelpOptions = true, description = "List the topics (name order) with partitions and records.")
  static final class Topics implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Connection connection;

    @Option(names = "--all", description = "include Kafka's internal topics")
    boolean all;

    @Override
    public Integer call() {
      Properties config = connection.config(spec.commandLine().getErr());
      String bootstrap = config.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
      PrintWriter out = spec.commandLine().getOut();
      try (Admin admin = Admin.create(config)) {
        Set<String> names = new TreeSet<>(await(admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions()
            .listInternal(all)).names(), "listing topics", bootstrap));
        Map<String, TopicDescription> descriptions = await(admin.describeTopics(names).allTopicNames(), "describing topics", bootstrap);
        String format = "%-40s %10s %12s%n";
        out.printf(format, "TOPIC", "PARTITIONS", "RECORDS");
        for (String name : names) {
          TopicDescription d = descriptions.get(name);
          long records = 0;
          Map<TopicPartition, OffsetSpec> earliest = new TreeMap<>(KafkaToolsCommand::compare);
          Map<TopicPartition, OffsetSpec> latest = new TreeMap<>(KafkaToolsCommand::compare);
          d.partitions().forEach(p -> {
            earliest.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest());
            latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
          });
          var first = await(admin.listOffsets(earliest).all(), "reading offsets", bootstrap);
          var last = await(admin.listOffsets(latest).all(), "reading offsets", bootstrap);
          for (TopicPartition tp : latest.keySet()) {
            records += last.get(tp).offset() - first.get(tp).offset();
          }
          out.printf(format, name, d.partitions().size(), records);
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "lag", mixinStandardHelpOptions = true, description =
      "How far consumer groups (the replay) are behind on a topic, per partition: in records and in time.")
  static final class Lag implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Connection connection;

    @Option(names = "--topic", required = true)
    String topic;

    @Option(names = "--group", description = "only this consumer group (default: every group with offsets on the topic)")
    String group;

    @Override
    public Integer call() {
      Properties config = connection.config(spec.commandLine().getErr());
      String bootstrap = config.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
      PrintWriter out = spec.commandLine().getOut();
      try (Admin admin = Admin.create(config)) {
        Map<TopicPartition, Long> ends = endOffsets(admin, topic, bootstrap);
        List<String> groups = new ArrayList<>();
        if (group != null) {
          groups.add(group);
        } else {
          for (ConsumerGroupListing listing : await(admin.listConsumerGroups().all(), "listing groups", bootstrap)) {
            groups.add(listing.groupId());
          }
          groups.sort(null);
        }
        String format = "%-32s %9s %12s %12s %10s %14s%n";
        out.printf(format, "GROUP", "PARTITION", "COMMITTED", "END", "LAG", "LAG_TIME");
        int shown = 0;
        for (String g : groups) {
          Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(g).partitionsToOffsetAndMetadata(),
              "reading the offsets of group " + g, bootstrap);
          boolean onTopic = committed.keySet().stream().anyMatch(tp -> tp.topic().equals(topic));
          if (!onTopic && group == null) {
            continue;
          }
          for (TopicPartition tp : ends.keySet()) {
            OffsetAndMetadata at = committed.get(tp);
            long end = ends.get(tp);
            long lag = at == null ? end : end - at.offset();
            String time = lag <= 0 ? "0 s" : lagTime(config, tp, at == null ? 0 : at.offset());
            out.printf(format, g, tp.partition(), at == null ? "-" : Long.toString(at.offset()), end, lag, time);
            shown++;
          }
        }
        if (shown == 0) {
          out.println("no consumer group has read topic '" + topic + "' yet");
        }
      }
      out.flush();
      return 0;
    }

    /** How old the first record not yet committed is: the lag in time. */
    private static String lagTime(Properties config, TopicPartition tp, long offset) {
      Properties p = new Properties();
      p.putAll(config);
      p.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.assign(List.of(tp));
        consumer.seek(tp, offset);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            long seconds = Math.max(0, (System.currentTimeMillis() - record.timestamp()) / 1000);
            return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
          }
        }
        return "?";
      }
    }
  }

  @Command(name = "delete-topic", mixinStandardHelpOptions = true, description = "Delete a topic and its records (asks first; --yes for scripts).")
  static final class DeleteTopic implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Connection connection;

    @Option(names = "--topic", required = true)
    String topic;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    @Override
    public Integer call() {
      Properties config = connection.config(spec.commandLine().getErr());
      String bootstrap = config.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
      PrintWriter out = spec.commandLine().getOut();
      try (Admin admin = Admin.create(config)) {
        await(admin.describeTopics(List.of(topic)).allTopicNames(), "describing " + topic, bootstrap);
        if (!yes) {
          out.print("about to DELETE topic '" + topic + "' on " + bootstrap + " with every record in it; type 'yes' to go on: ");
          out.flush();
          String answer = Confirmation.ask();
          if (answer == null || !answer.trim().equals("yes")) {
            out.println("nothing deleted");
            out.flush();
            return Migrate.RUN_FAILED;
          }
        }
        await(admin.deleteTopics(List.of(topic)).all(), "deleting " + topic, bootstrap);
        out.println("deleted topic '" + topic + "'");
      }
      out.flush();
      return 0;
    }
  }

  /** The end offset of each partition of {@code topic}, in partition order. */
  static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, String bootstrap) {
    TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames(), "describing " + topic, bootstrap)
        .get(topic);
    Map<TopicPartition, OffsetSpec> latest = new TreeMap<>(KafkaToolsCommand::compare);
    description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    var ends = await(admin.listOffsets(latest).all(), "reading offsets", bootstrap);
    Map<TopicPartition, Long> offsets = new TreeMap<>(KafkaToolsCommand::compare);
    latest.keySet().forEach(tp -> offsets.put(tp, ends.get(tp).offset()));
    return offsets;
  }

  private static int compare(TopicPartition a, TopicPartition b) {
    int byTopic = a.topic().compareTo(b.topic());
    return byTopic != 0 ? byTopic : Integer.compare(a.partition(), b.partition());
  }
}
