package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.launcher.LocalFlink;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.launcher.LocalProxies;
import io.searchmigrate.snapshot.creation.SnapshotCreator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migrate reset}: lists what the migration created and removes it after confirmation, keeping the reports.
 * What it created: the capture proxies, Flink session and Kafka broker it runs here for the configured parts; the
 * snapshots and repository registrations {@code snapshot create} recorded in the state folder's ledger; the capture
 * topic and the replay's consumer group; the state folder. Never the source or the target cluster, never reports.
 *
 * <pre>
 * ./migrate reset                      # lists, asks, removes
 * ./migrate reset --yes --keep-snapshots
 * </pre>
 */
@Command(name = "reset", description = {"Remove what the migration created, after listing it and asking (--yes for scripts): "
    + "capture proxies, the Flink session cluster and Kafka broker started here for the configured parts, the snapshots and "
    + "repository registrations made by ./migrate snapshot create, the capture topic and the replay's consumer group ("
    + MigrationParts.REPLAY_GROUP + "), the state folder (state_dir).",
    "Kept: the source and target clusters and everything in them, reports (reports_dir, --html, --differences, tuples), "
        + "and with --keep-snapshots the snapshots and their registrations. Exit 0 when everything listed was removed."})
final class ResetCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  MigrationFlags parts;

  @Option(names = "--yes", description = "do not ask for confirmation")
  boolean yes;

  @Option(names = "--keep-snapshots", description = "keep the snapshots and their repository registrations")
  boolean keepSnapshots;

  /** One thing to remove, said the way the list shows it. */
  private record Item(String what, Runnable remove) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MigrationState state = MigrationState.of(parts.stateDir);
    List<Item> items = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    List<String> unchecked = new ArrayList<>();

    proxies(err, items);
    flinkSessions(err, items);
    snapshots(state, items, kept, unchecked);
    kafka(err, items, unchecked);
    brokers(err, items);
    stateFolder(state, items, kept);
    if (parts.history != null) {
      kept.add("reports in " + parts.history);
    }

    if (items.isEmpty()) {
      out.println("reset: nothing the migration created is left" + (unchecked.isEmpty() ? "" : ", as far as could be checked"));
    } else {
      out.println("reset: the migration created");
      items.forEach(i -> out.println("  " + i.what()));
    }
    kept.forEach(k -> out.println("kept: " + k));
    unchecked.forEach(u -> out.println("not checked: " + u));
    if (items.isEmpty()) {
      out.flush();
      return unchecked.isEmpty() ? 0 : Migrate.RUN_FAILED;
    }
    if (!yes) {
      out.print("about to REMOVE the " + items.size() + " item(s) above; type 'yes' to go on: ");
      out.flush();
      String answer = Confirmation.ask();
      if (answer == null || !answer.trim().equals("yes")) {
        out.println("nothing removed");
        out.flush();
        return Migrate.RUN_FAILED;
      }
    }
    int failed = 0;
    for (Item item : items) {
      try {
        item.remove().run();
        out.println("removed " + item.what());
      } catch (UserError | UncheckedIOException | org.apache.kafka.common.KafkaException e) {
        failed++;
        out.println("FAILED  " + item.what() + ": " + e.getMessage());
      }
      out.flush();
    }
    out.println("reset: " + (items.size() - failed) + " removed, " + failed + " failed" + (unchecked.isEmpty() ? ""
        : ", " + unchecked.size() + " part(s) not checked (run reset again once they answer)"));
    out.flush();
    return failed == 0 && unchecked.isEmpty() ? 0 : Migrate.RUN_FAILED;
  }

  /** Capture proxies in front of the configured source, or capturing to the configured topic. */
  private void proxies(PrintWriter err, List<Item> items) {
    LocalProxies proxies = ProxyCommand.proxies(err);
    for (LocalProxies.Proxy proxy : proxies.list()) {
      boolean ours = (parts.source.url != null && sameUrl(proxy.source(), parts.source.url))
          || (parts.topic != null && parts.topic.equals(proxy.topic()));
      if (ours && proxy.isRunning()) {
        items.add(new Item("capture proxy '" + proxy.name() + "' (pid " + proxy.pid() + ", " + proxy.listen() + " -> "
            + proxy.source() + ", topic '" + proxy.topic() + "')", () -> {
              proxies.stop(proxy.name());
              proxies.forgetMode(proxy.name()); // a proxy started again for another migration starts on its source
            }));
      }
    }
  }

  /** The local Flink session cluster at the configured master. */
  private void flinkSessions(PrintWriter err, List<Item> items) {
    if (parts.flinkMaster == null) {
      return;
    }
    LocalFlink flink = FlinkCommand.launcher(err);
    for (LocalFlink.Session session : flink.list()) {
      if (session.isRunning() && sameAddress(session.master(), parts.flinkMaster)) {
        items.add(new Item("Flink session cluster '" + session.name() + "' (" + session.master() + ", "
            + session.taskManagers().size() + " TaskManager(s))", () -> flink.stop(session.name())));
      }
    }
  }

  /** What snapshot create recorded on the configured source and is still there. */
  private void snapshots(MigrationState state, List<Item> items, List<String> kept, List<String> unchecked) {
    List<JsonNode> created = state.created();
    if (created.isEmpty()) {
      return;
    }
    if (keepSnapshots) {
      kept.add(created.size() + " snapshot(s) and repository registration(s) listed in " + state.ledger() + " (--keep-snapshots)");
      return;
    }
    if (parts.source.url == null) {
      unchecked.add(created.size() + " snapshot(s) and repository registration(s) in " + state.ledger() + " (no source "
          + "configured: give --source URL)");
      return;
    }
    ClusterClient client;
    List<Item> registrations = new ArrayList<>();
    try {
      client = ClusterClient.connect(parts.source.endpoint());
      String url = client.endpoint().url();
      for (JsonNode entry : created) {
        if (!sameUrl(entry.path("cluster").asText(), url)) {
          unchecked.add(entry.path("kind").asText() + " '" + entry.path("name").asText() + "' on " + entry.path("cluster").asText()
              + " (not the configured source)");
          continue;
        }
        if (entry.path("kind").asText().equals("snapshot")) {
          SnapshotCreator repository = new SnapshotCreator(client, entry.path("repository").asText());
          String name = entry.path("name").asText();
          if (repository.registration() != null && repository.snapshots().contains(name)) {
            items.add(new Item("snapshot '" + name + "' in repository '" + repository.repository() + "' on " + url,
                () -> repository.delete(name)));
          }
        } else {
          SnapshotCreator repository = new SnapshotCreator(client, entry.path("name").asText());
          if (repository.registration() != null && registrations.stream().noneMatch(r -> r.what().contains(
              "'" + repository.repository() + "'"))) {
            registrations.add(new Item("repository registration '" + repository.repository() + "' on " + url + " ("
                + entry.path("location").asText() + "; its files stay)", repository::unregister));
          }
        }
      }
    } catch (UserError e) {
      unchecked.add("snapshots and registrations on the source: " + e.getMessage());
      return;
    }
    items.addAll(registrations); // after the snapshots they hold
  }

  /** The replay's consumer group and the capture topics (the configured one and those of the proxies listed). */
  private void kafka(PrintWriter err, List<Item> items, List<String> unchecked) {
    if (parts.kafka.kafka == null) {
      return;
    }
    String bootstrap = parts.kafka.kafka;
    Set<String> topics = new TreeSet<>();
    if (parts.topic != null) {
      topics.add(parts.topic);
    }
    for (LocalProxies.Proxy proxy : ProxyCommand.proxies(err).list()) {
      if ((parts.source.url != null && sameUrl(proxy.source(), parts.source.url)) || topics.contains(proxy.topic())) {
        topics.add(proxy.topic());
      }
    }
    Properties config = parts.kafka.config(err);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(config)) {
      Set<String> present = KafkaToolsCommand.await(admin.listTopics().names(), "listing topics", bootstrap);
      boolean group = KafkaToolsCommand.await(admin.listConsumerGroups().all(), "listing groups", bootstrap).stream()
          .map(ConsumerGroupListing::groupId).anyMatch(MigrationParts.REPLAY_GROUP::equals);
      if (group) {
        items.add(new Item("consumer group '" + MigrationParts.REPLAY_GROUP + "' on " + bootstrap, () -> {
          try (Admin a = Admin.create(config)) {
            KafkaToolsCommand.await(a.deleteConsumerGroups(List.of(MigrationParts.REPLAY_GROUP)).all(), "deleting group "
                + MigrationParts.REPLAY_GROUP + " (is a replay still running?)", bootstrap);
          }
        }));
      }
      for (String topic : topics) {
        if (present.contains(topic)) {
          items.add(new Item("topic '" + topic + "' on " + bootstrap, () -> {
            try (Admin a = Admin.create(config)) {
              KafkaToolsCommand.await(a.deleteTopics(List.of(topic)).all(), "deleting " + topic, bootstrap);
            }
          }));
        }
      }
    } catch (UserError | org.apache.kafka.common.KafkaException e) {
      unchecked.add("topics and consumer group on " + bootstrap + ": " + e.getMessage());
    }
  }

  /** The local Kafka broker at the configured bootstrap address, stopped after its topics are gone. */
  private void brokers(PrintWriter err, List<Item> items) {
    if (parts.kafka.kafka == null) {
      return;
    }
    LocalKafka kafka = KafkaCommand.launcher(err);
    for (LocalKafka.Broker broker : kafka.list()) {
      if (broker.isRunning() && sameAddress(broker.bootstrap(), parts.kafka.kafka)) {
        items.add(new Item("Kafka broker '" + broker.name() + "' (" + broker.bootstrap() + ", pid " + broker.pid() + ")",
            () -> kafka.stop(broker.name())));
      }
    }
  }

  /** The state folder, but the ledger while it lists snapshots kept, and reports kept inside it. */
  private void stateFolder(MigrationState state, List<Item> items, List<String> kept) {
    Path dir = state.dir();
    if (!Files.isDirectory(dir)) {
      return;
    }
    Path keepLedger = keepSnapshots && !state.created().isEmpty() ? state.ledger() : null;
    Path reports = parts.history == null ? null : parts.history.toAbsolutePath().normalize();
    if (keepLedger != null) {
      kept.add(keepLedger + " (lists the snapshots kept)");
    }
    items.add(new Item("state folder " + dir + (keepLedger != null ? " (but its ledger)" : ""), () -> {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Path absolute = p.toAbsolutePath().normalize();
          boolean keep = p.equals(keepLedger) || (reports != null && (absolute.startsWith(reports) || reports.startsWith(absolute)));
          if (!keep && !(Files.isDirectory(p) && isNotEmpty(p))) {
            Files.delete(p);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
      }
    }));
  }

  private static boolean isNotEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    }
  }

  private static boolean sameUrl(String a, String b) {
    return strip(a).equals(strip(b));
  }

  private static String strip(String url) {
    String s = url == null ? "" : url.replace("://localhost", "://127.0.0.1");
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static boolean sameAddress(String a, String b) {
    return normalize(a).equals(normalize(b));
  }

  private static String normalize(String address) {
    String s = address.replaceFirst("^https?://", "").replace("localhost", "127.0.0.1");
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
