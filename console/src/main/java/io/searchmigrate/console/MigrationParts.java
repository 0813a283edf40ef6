package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.launcher.LocalProxies;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.pipelines.runners.FlinkSession;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One check per part of a migration, each answering OK, FAIL (with what to do) or SKIP (not configured): the source
 * and the target, the snapshot repository, Kafka, the capture proxy, Flink, the replay's lag, the last validation.
 *
 * <pre>{@code
 * List<MigrationParts.Row> rows = new MigrationParts(flags, err).check();   // always the same parts, same order
 * }</pre>
 */
final class MigrationParts {
  /** The consumer group of the replay pipeline (ReplayOptions' default). */
  static final String REPLAY_GROUP = "search-migrate-replay";
  /** A part that does not answer is given this long: status is a quick look, not a wait. */
  private static final int KAFKA_TIMEOUT_MS = 10_000;

  enum State { OK, FAIL, SKIP }

  /** One line of the status table; {@code action} says what to do when it failed. */
  record Row(String part, State state, String details, String action) {
    static Row ok(String part, String details) {
      return new Row(part, State.OK, details, null);
    }

    static Row fail(String part, String details, String action) {
      return new Row(part, State.FAIL, details, action);
    }

    static Row skip(String part, String details) {
      return new Row(part, State.SKIP, details, null);
    }
  }

  private final MigrationFlags flags;
  private final PrintWriter err;

  MigrationParts(MigrationFlags flags, PrintWriter err) {
    this.flags = flags;
    this.err = err;
  }

  /** Every part, in the journey's order. */
  List<Row> check() {
    List<Row> rows = new ArrayList<>();
    rows.add(cluster("source", flags.source.url, () -> flags.source.endpoint(), flags.mixee, "--source"));
    rows.add(cluster("target", flags.target.url, () -> flags.target.endpoint(), flags.mixee, "--target"));
    rows.add(snapshot());
    Row kafka = kafka();
    rows.add(kafka);
    rows.add(proxy());
    rows.add(flink());
    rows.add(replay(kafka));
    rows.add(validation());
    return rows;
  }

  private Row cluster(String role, String url, Supplier<ClusterEndpoint> endpoint, picocli.CommandLine.Model.CommandSpec spec,
      String flag) {
    if (url == null) {
      return Row.skip(role, "not configured (" + role + ".endpoint or " + flag + " URL)");
    }
    ClusterToolsCommand.Probe probe;
    try {
      probe = ClusterToolsCommand.probe(role, endpoint.get());
    } catch (UserError e) { // the password variable unset, a password in the URL, ...
      return Row.fail(role, url + ": " + e.getMessage(), "fix the " + role + "'s settings (./migrate config check)");
    }
    if (!probe.ok()) {
      return Row.fail(role, probe.details(), probe.version() == null
          ? "start the " + role + " cluster or correct " + role + ".endpoint / " + flag + " and its credentials"
          : "bring the " + role + "'s unassigned primary shards back (GET /_cluster/allocation/explain says why)");
    }
    String expected = ConfigCommand.config(spec).get(role + ".version");
    if (expected != null) {
      ClusterVersion want = ClusterVersion.parse(expected);
      ClusterVersion found = probe.version();
      boolean same = want.flavor() == found.flavor() && want.major() == found.major() && want.minor() == found.minor()
          && (want.patch() == 0 || want.patch() == found.patch());
      if (!same) {
        return Row.fail(role, probe.details() + "; expected " + want + " (" + role + ".version)", "point " + role
            + ".endpoint at the cluster meant, or correct " + role + ".version");
      }
    }
    return Row.ok(role, probe.details());
  }

  private Row snapshot() {
    if (flags.repo == null) {
      return Row.skip("snapshot", "not configured (snapshot.repository or --repo)");
    }
    try (SnapshotRepository repository = SnapshotRepository.open(flags.s3.repository(flags.repo).open())) {
      List<RepositoryData.SnapshotEntry> snapshots = repository.snapshots();
      String where = repository.blobs().describe("");
      if (flags.snapshot == null) {
        return Row.ok("snapshot", where + ": " + snapshots.size() + " snapshot(s); no snapshot name configured");
      }
      try {
        repository.snapshot(flags.snapshot);
      } catch (UserError e) {
        return Row.fail("snapshot", e.getMessage(), "create it: ./migrate snapshot create --snapshot " + flags.snapshot
            + " --wait (or correct snapshot.name)");
      }
      return Row.ok("snapshot", where + ": snapshot '" + flags.snapshot + "' is there (" + snapshots.size() + " snapshot(s))");
    } catch (IOException | RuntimeException e) {
      return Row.fail("snapshot", flags.repo + ": " + e.getMessage(), "check snapshot.repository / --repo (a folder this "
          + "machine reads, or s3:// with its region and credentials); a new repository is written by ./migrate snapshot create");
    }
  }

  private Properties kafkaConfig() {
    Properties config = flags.kafka.config(err);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, KAFKA_TIMEOUT_MS);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, KAFKA_TIMEOUT_MS);
    return config;
  }

  private Row kafka() {
    if (flags.kafka.kafka == null) {
      return Row.skip("kafka", "not configured (kafka.bootstrap or --kafka BOOTSTRAP)");
    }
    String bootstrap = flags.kafka.kafka;
    try (Admin admin = Admin.create(kafkaConfig())) {
      int brokers = KafkaToolsCommand.await(admin.describeCluster().nodes(), "describing the cluster", bootstrap).size();
      if (flags.topic == null) {
        return Row.ok("kafka", bootstrap + ": " + brokers + " broker(s); no topic configured");
      }
      if (!KafkaToolsCommand.await(admin.listTopics().names(), "listing topics", bootstrap).contains(flags.topic)) {
        return Row.fail("kafka", bootstrap + ": " + brokers + " broker(s), but no topic '" + flags.topic + "'",
            "start the capture proxy with --topic " + flags.topic + " (its first capture creates it), or correct kafka.topic");
      }
      long records = KafkaToolsCommand.endOffsets(admin, flags.topic, bootstrap).values().stream().mapToLong(Long::longValue).sum();
      return Row.ok("kafka", bootstrap + ": " + brokers + " broker(s), topic '" + flags.topic + "' (" + records
          + " record(s) written)");
    } catch (UserError | org.apache.kafka.common.KafkaException e) {
      return Row.fail("kafka", bootstrap + ": " + e.getMessage(), "start the broker (./migrate kafka start-local) or correct "
          + "kafka.bootstrap / --kafka");
    }
  }

  private Row proxy() {
    String admin = flags.proxyAdmin;
    String what = admin;
    if (admin == null) {
      Optional<LocalProxies.Proxy> local = new LocalProxies(ProcessSupervisor.defaultHome(), err::println).find(ProxyCommand.DEFAULT_NAME);
      if (local.isEmpty()) {
        return Row.skip("proxy", "not configured (proxy.admin or --proxy-admin HOST:PORT, or a proxy started here)");
      }
      if (!local.get().isRunning()) {
        return Row.fail("proxy", "the local proxy '" + ProxyCommand.DEFAULT_NAME + "' is not running (log: " + local.get().log()
            + ")", "start it: ./migrate proxy start --listen HOST:PORT --source URL --kafka BOOTSTRAP --topic T --admin HOST:PORT");
      }
      admin = local.get().admin();
      what = "local proxy '" + ProxyCommand.DEFAULT_NAME + "' (" + local.get().listen() + ")";
      if (admin == null) {
        return Row.ok("proxy", what + " runs (pid " + local.get().pid() + "); no --admin port, so no health or counters");
      }
    }
    String health = LocalProxies.adminGet(admin, "/health");
    JsonNode state;
    try {
      state = Json.parse(health);
    } catch (RuntimeException e) {
      return Row.fail("proxy", what + ": no health answer at http://" + admin + "/health: " + health.strip(),
          "start the proxy (./migrate proxy start ... --admin " + admin + ") or correct proxy.admin / --proxy-admin");
    }
    Map<String, Long> counters = metrics(LocalProxies.adminGet(admin, "/metrics"));
    long lost = counters.getOrDefault("capture_records_dropped_total", 0L) + counters.getOrDefault("capture_records_failed_total", 0L);
    String details = what + ": " + state.path("status").asText() + ", kafka " + state.path("kafka").asText() + ", "
        + counters.getOrDefault("requests_total", 0L) + " request(s), " + counters.getOrDefault("capture_records_stored_total", 0L)
        + " capture(s) stored, " + lost + " lost";
    if (!state.path("status").asText().equals("serving")) {
      return Row.fail("proxy", details, "the proxy is draining (being stopped); start it again if clients still need it");
    }
    if (state.path("kafka").asText().equals("down")) {
      return Row.fail("proxy", details, "the proxy cannot store captures: bring Kafka back (see the proxy's log)");
    }
    if (lost > 0) {
      return Row.fail("proxy", details, lost + " capture(s) were lost (buffer full or Kafka late), so replay misses them: "
          + "give the proxy more --capture-buffer or Kafka more room, then compare with ./migrate validate clusters");
    }
    return Row.ok("proxy", details);
  }

  /** The proxy's Prometheus counters, names without the searchmigrate_proxy_ prefix (histograms left out). */
  private static Map<String, Long> metrics(String text) {
    Map<String, Long> counters = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String[] parts = line.strip().split(" ");
      if (parts.length == 2 && line.startsWith("searchmigrate_proxy_") && !parts[0].contains("{")) {
        try {
          counters.put(parts[0].substring("searchmigrate_proxy_".length()), (long) Double.parseDouble(parts[1]));
        } catch (NumberFormatException e) {
          // not a plain sample
        }
      }
    }
    return counters;
  }

  private Row flink() {
    if (flags.flinkMaster == null) {
      return Row.skip("flink", "not configured (flink.master or --flink-master HOST:PORT)");
    }
    try {
      FlinkSession session = FlinkSession.at(flags.flinkMaster);
      JsonNode overview = session.overview();
      return Row.ok("flink", session.webUrl() + ": Flink " + overview.path("flink-version").asText() + ", "
          + overview.path("taskmanagers").asInt() + " TaskManager(s), " + overview.path("slots-available").asInt() + " of "
          + overview.path("slots-total").asInt() + " slot(s) free, " + overview.path("jobs-running").asInt() + " job(s) running");
    } catch (UserError | IllegalStateException e) {
      return Row.fail("flink", flags.flinkMaster + ": " + e.getMessage(), "start the session cluster (./migrate flink "
          + "start-local) or correct flink.master / --flink-master");
    }
  }

  private Row replay(Row kafka) {
    return replayLag(kafka).row();
  }

  /** The replay's lag in records on the capture topic, or -1 when it cannot be told (the row says why). */
  record ReplayLag(long records, Row row) {}

  /** The replay's lag, read from its consumer group's committed offsets (as {@code status} shows it). */
  ReplayLag replayLag() {
    return replayLag(kafka());
  }

  private ReplayLag replayLag(Row kafka) {
    if (flags.kafka.kafka == null || flags.topic == null) {
      return new ReplayLag(-1, Row.skip("replay", "not configured (kafka.bootstrap and kafka.topic)"));
    }
    if (kafka.state() != State.OK) {
      return new ReplayLag(-1, Row.skip("replay", "the lag is read from Kafka, which did not answer (see the kafka row)"));
    }
    String bootstrap = flags.kafka.kafka;
    try (Admin admin = Admin.create(kafkaConfig())) {
      Map<TopicPartition, OffsetAndMetadata> committed = KafkaToolsCommand.await(
          admin.listConsumerGroupOffsets(REPLAY_GROUP).partitionsToOffsetAndMetadata(), "reading the replay's offsets", bootstrap);
      Map<TopicPartition, Long> ends = KafkaToolsCommand.endOffsets(admin, flags.topic, bootstrap);
      if (committed.keySet().stream().noneMatch(tp -> tp.topic().equals(flags.topic))) {
        return new ReplayLag(-1, Row.skip("replay", "group '" + REPLAY_GROUP + "' has no offsets on '" + flags.topic
            + "' yet (the replay has not run)"));
      }
      long lag = 0;
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        OffsetAndMetadata at = committed.get(end.getKey());
        lag += end.getValue() - (at == null ? 0 : at.offset());
      }
      return new ReplayLag(lag, Row.ok("replay", "group '" + REPLAY_GROUP + "': lag " + lag + " record(s) on '" + flags.topic
          + "' (" + ends.size() + " partition(s))" + (lag == 0 ? ", caught up" : "")));
    } catch (UserError | org.apache.kafka.common.KafkaException e) {
      return new ReplayLag(-1, Row.fail("replay", e.getMessage(), "check the replay's consumer group with ./migrate kafka lag "
          + "--group " + REPLAY_GROUP));
    }
  }

  /** The last validation's verdict: OK when it passed, FAIL when it did not, SKIP when none is recorded. */
  Row validation() {
    Path history = flags.history;
    if (history == null) {
      return Row.skip("validation", "not configured (reports_dir or --history DIR)");
    }
    Path lines = history.resolve("history.ndjson");
    if (!Files.isRegularFile(lines)) {
      return Row.skip("validation", "no validation recorded in " + history + " yet (./migrate validate ... records its "
          + "verdict there)");
    }
    try {
      List<String> runs = Files.readAllLines(lines).stream().filter(l -> !l.isBlank()).toList();
      if (runs.isEmpty()) {
        return Row.skip("validation", "no validation recorded in " + lines + " yet");
      }
      JsonNode last = Json.parse(runs.get(runs.size() - 1));
      List<String> counts = new ArrayList<>();
      last.fields().forEachRemaining(f -> {
        if (f.getValue().isNumber() && f.getValue().asLong() > 0 && !f.getKey().equals("compared") && !f.getKey().equals("equal")) {
          counts.add(f.getValue().asLong() + " " + f.getKey());
        }
      });
      String verdict = last.path("verdict").asText().toUpperCase(java.util.Locale.ROOT);
      String details = "last run " + last.path("time").asText() + ": " + verdict + ", "
          + last.path("compared").asLong() + " compared" + (counts.isEmpty() ? "" : " (" + String.join(", ", counts) + ")")
          + "; " + runs.size() + " run(s) in " + history;
      if (!verdict.equals("PASS")) {
        return Row.fail("validation", details, "read the last report in " + history + ", fix what differs, validate again");
      }
      return Row.ok("validation", details);
    } catch (IOException | RuntimeException e) {
      return Row.fail("validation", lines + ": " + e.getMessage(), "the history file is damaged; move it aside and "
          + "validate again");
    }
  }
}
