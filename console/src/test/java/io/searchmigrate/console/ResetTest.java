package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.LocalProxies;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reset after a real run (a snapshot made by snapshot create on Elasticsearch 7.10.2, a capture proxy writing to a
 * broker of its own, the replay's consumer group, the state folder): it lists them, asks, removes them in an order that
 * leaves nothing half-done, keeps the reports, and with --keep-snapshots the snapshots. Checked on the real parts after.
 */
class ResetTest {
  @TempDir
  Path dir;

  private final Set<Integer> ports = new HashSet<>();

  @Test
  void removesWhatTheMigrationCreatedAndKeepsReports() throws Exception {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker broker = TestKafka.dedicated("reset-kafka");
    String id = Long.toString(System.nanoTime(), 36);
    String index = "reset_" + id;
    String repoName = "reset_repo_" + id;
    String topic = "reset-" + id;
    ClusterClient es = ClusterClient.connect(source.endpoint());
    es.putJson("/" + index + "/_doc/1?refresh=true", Json.parse("{\"n\":1}")).requireSuccess();
    Path repository = source.pathRepo().resolve("reset-" + id);
    Path state = dir.resolve("state");
    Path reports = dir.resolve("reports");
    Files.createDirectories(reports);
    Files.writeString(reports.resolve("history.ndjson"), "{\"verdict\":\"pass\"}\n");
    int listen = port();
    Files.writeString(dir.resolve("migration.yaml"), String.join("\n",
        "source:", "  endpoint: " + source.url(),
        "snapshot:", "  repository: " + repository, "  name: snap-" + id,
        "kafka:", "  bootstrap: " + broker.bootstrap(), "  topic: " + topic,
        "proxy:", "  listen: 127.0.0.1:" + listen,
        "state_dir: " + state, "reports_dir: " + reports, ""));
    try {
      ConsoleRun snapshot = run("snapshot", "create", "--repo-name", repoName, "--indices", index, "--wait");
      assertEquals(0, snapshot.exitCode, snapshot::toString);
      try (Admin admin = admin(broker)) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      }
      ConsoleRun proxy = run("proxy", "start", "--name", "reset-proxy");
      assertEquals(0, proxy.exitCode, proxy::toString);
      assertEquals(200, ClusterClient.connect(ClusterEndpoint.of("http://127.0.0.1:" + listen)).get("/" + index + "/_doc/1").status());
      try (Admin admin = admin(broker)) {
        admin.alterConsumerGroupOffsets(MigrationParts.REPLAY_GROUP, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0)))
            .all().get();
      }
      LocalProxies.Proxy running = new LocalProxies(ProcessSupervisor.defaultHome(), l -> {}).find("reset-proxy").orElseThrow();

      String list = String.join("\n",
          "reset: the migration created",
          "  capture proxy 'reset-proxy' (pid " + running.pid() + ", 127.0.0.1:" + listen + " -> " + source.url() + ", topic '"
              + topic + "')",
          "  snapshot 'snap-" + id + "' in repository '" + repoName + "' on " + source.url(),
          "  repository registration '" + repoName + "' on " + source.url() + " (" + repository + "; its files stay)",
          "  consumer group 'search-migrate-replay' on " + broker.bootstrap(),
          "  topic '" + topic + "' on " + broker.bootstrap(),
          "  Kafka broker 'reset-kafka' (" + broker.bootstrap() + ", pid " + broker.pid() + ")",
          "  state folder " + state,
          "kept: reports in " + reports, "");
      ConsoleRun asked = run("reset");
      assertEquals(Migrate.USER_ERROR, asked.exitCode, "nobody at a terminal to answer: " + asked);
      assertEquals(list + "about to REMOVE the 7 item(s) above; type 'yes' to go on: ", asked.out);
      assertEquals("error: not asking for confirmation without a terminal; pass --yes to go on\n", asked.err);
      assertTrue(running.isRunning() && Files.isDirectory(state), "nothing removed without an answer");

      ConsoleRun keep = run("reset", "--yes", "--keep-snapshots");
      assertEquals(0, keep.exitCode, keep::toString);
      assertTrue(keep.out.startsWith(String.join("\n",
          "reset: the migration created",
          "  capture proxy 'reset-proxy' (pid " + running.pid() + ", 127.0.0.1:" + listen + " -> " + source.url() + ", topic '"
              + topic + "')",
          "  consumer group 'search-migrate-replay' on " + broker.bootstrap(),
          "  topic '" + topic + "' on " + broker.bootstrap(),
          "  Kafka broker 'reset-kafka' (" + broker.bootstrap() + ", pid " + broker.pid() + ")",
          "  state folder " + state + " (but its ledger)",
          "kept: 2 snapshot(s) and repository registration(s) listed in " + state.resolve("created.ndjson") + " (--keep-snapshots)",
          "kept: " + state.resolve("created.ndjson") + " (lists the snapshots kept)",
          "kept: reports in " + reports, "")), keep::toString);
      assertTrue(keep.out.endsWith("reset: 5 removed, 0 failed\n"), keep::toString);
      assertFalse(running.isRunning(), "the proxy was stopped");
      assertFalse(broker.isRunning(), "the broker was stopped");
      assertEquals(List.of("created.ndjson"), Files.list(state).map(p -> p.getFileName().toString()).toList());
      assertEquals(200, es.get("/_snapshot/" + repoName + "/snap-" + id).status(), "the snapshot was kept");

      broker = TestKafka.restart(broker);
      try (Admin admin = admin(broker)) {
        assertFalse(admin.listTopics().names().get().contains(topic), "the topic is gone");
        assertTrue(admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId)
            .noneMatch(MigrationParts.REPLAY_GROUP::equals), "the replay's group is gone");
      }

      ConsoleRun all = run("reset", "--yes");
      assertEquals(0, all.exitCode, all::toString);
      assertEquals(String.join("\n",
          "reset: the migration created",
          "  snapshot 'snap-" + id + "' in repository '" + repoName + "' on " + source.url(),
          "  repository registration '" + repoName + "' on " + source.url() + " (" + repository + "; its files stay)",
          "  Kafka broker 'reset-kafka' (" + broker.bootstrap() + ", pid " + broker.pid() + ")",
          "  state folder " + state,
          "kept: reports in " + reports,
          "removed snapshot 'snap-" + id + "' in repository '" + repoName + "' on " + source.url(),
          "removed repository registration '" + repoName + "' on " + source.url() + " (" + repository + "; its files stay)",
          "removed Kafka broker 'reset-kafka' (" + broker.bootstrap() + ", pid " + broker.pid() + ")",
          "removed state folder " + state,
          "reset: 4 removed, 0 failed", ""), all.out);
      assertEquals(404, es.get("/_snapshot/" + repoName).status(), "the registration is gone");
      assertFalse(Files.exists(state));
      assertEquals("{\"verdict\":\"pass\"}\n", Files.readString(reports.resolve("history.ndjson")), "reports are kept");

      // the broker is stopped now: what lives in it cannot be checked, and reset says so
      ConsoleRun again = run("reset", "--yes");
      assertEquals(Migrate.RUN_FAILED, again.exitCode, again::toString);
      assertTrue(again.out.startsWith("reset: nothing the migration created is left, as far as could be checked\n"
          + "kept: reports in " + reports + "\nnot checked: topics and consumer group on " + broker.bootstrap() + ": "),
          again::toString);
    } finally {
      run("proxy", "stop", "--name", "reset-proxy");
      TestKafka.stop(broker);
      es.delete("/" + index);
      es.delete("/_snapshot/" + repoName);
    }
  }

  private static Admin admin(LocalKafka.Broker broker) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
  }

  private ConsoleRun run(String... args) {
    return ConsoleRun.in(Map.of(), dir, args);
  }

  private int port() {
    int port = LocalProcesses.freePort(ports);
    ports.add(port);
    return port;
  }
}
