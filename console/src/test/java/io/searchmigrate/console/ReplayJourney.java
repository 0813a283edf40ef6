package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The parts of one live-migration journey for the replay tests (on every runner): a real source behind the capture
 * proxy with a real Kafka broker, a real target, and clients writing through the proxy over many connections.
 */
final class ReplayJourney {
  static final int CONNECTIONS = 6;
  static final int DOCS_PER_CONNECTION = 30;

  final LocalCluster source;
  final LocalCluster target;
  final LocalKafka.Broker kafka;
  final String index;
  final String topic;
  final Path dir;
  String proxyName;
  /** Requests the clients sent through the proxy. */
  int sent;

  ReplayJourney(LocalCluster source, LocalCluster target, LocalKafka.Broker kafka, String index, String topic, Path dir) {
    this.source = source;
    this.target = target;
    this.kafka = kafka;
    this.index = index;
    this.topic = topic;
    this.dir = dir;
  }

  boolean typed() {
    return source.version().startsWith("5.") || source.version().startsWith("6.");
  }

  /** Created on the source directly (not through the proxy): the backfill creates it on the target. */
  void createSourceIndex() {
    String mappings = "{\"properties\":{\"title\":{\"type\":\"keyword\"},\"n\":{\"type\":\"integer\"}}}";
    String body = "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},\"mappings\":"
        + (typed() ? "{\"doc\":" + mappings + "}" : mappings) + "}";
    ClusterClient.connect(source.endpoint()).putJson("/" + index, Json.parse(body)).requireSuccess();
  }

  String startProxy(String name) throws IOException {
    proxyName = name;
    int listen = freePort();
    ConsoleRun start = ConsoleRun.of("proxy", "start", "--name", name, "--listen", "127.0.0.1:" + listen, "--source",
        source.url(), "--kafka", kafka.bootstrap(), "--topic", topic, "--admin", "127.0.0.1:" + freePort());
    assertEquals(0, start.exitCode, start::toString);
    return "http://127.0.0.1:" + listen;
  }

  void stopProxy() {
    if (proxyName != null) {
      ConsoleRun.of("proxy", "stop", "--name", proxyName);
      proxyName = null;
    }
  }

  void poisonRecord() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      producer.send(new ProducerRecord<>(topic, "poison".getBytes(), "not a capture record".getBytes())).get();
    }
  }

  void assertTargetEqualsSource() {
    Map<String, JsonNode> expected = documents(ClusterClient.connect(source.endpoint()), index);
    Map<String, JsonNode> actual = documents(ClusterClient.connect(target.endpoint()), index);
    assertTrue(expected.size() > CONNECTIONS, "the source holds documents: " + expected.size());
    assertEquals(expected, actual, "the target holds exactly the source's documents");
  }

  private static Map<String, JsonNode> documents(ClusterClient client, String index) {
    client.postJson("/" + index + "/_refresh", null).requireSuccess();
    JsonNode hits = client.getJson("/" + index + "/_search?size=10000").path("hits").path("hits");
    Map<String, JsonNode> docs = new TreeMap<>();
    hits.forEach(h -> docs.put(h.get("_id").asText(), h.get("_source")));
    return docs;
  }

  /** {@code replay status --name NAME --output json}, with the keys it promises. */
  static JsonNode status(String name) {
    ConsoleRun run = ConsoleRun.of("replay", "status", "--name", name, "--output", "json");
    JsonNode status = Json.parse(run.out);
    for (String key : List.of("running", "replayed", "lag", "mismatches", "dead_lettered")) {
      assertTrue(status.has(key), key + " in " + run.out);
    }
    return status;
  }

  static JsonNode awaitStatus(String name, java.util.function.Predicate<JsonNode> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode status = status(name);
      if (condition.test(status)) {
        return status;
      }
      assertTrue(System.nanoTime() < deadline, "not within " + timeout + ": " + status);
      Thread.sleep(1000);
    }
  }

  static List<JsonNode> readLines(Path dir, String prefix) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList()) {
        byte[] bytes = Files.readAllBytes(f);
        if (f.toString().endsWith(".gz")) {
          bytes = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes();
        }
        new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).map(Json::parse).forEach(lines::add);
      }
    }
    return lines;
  }

  /**
   * Clients writing through the proxy, each on its own keep-alive connection and its own documents (replay keeps
   * each connection's order; the order between connections is the captured timing): index with explicit ids,
   * partial updates, deletes, _bulk mixing all three, searches. Typed URLs and _type for Elasticsearch 5/6.
   */
  static final class Workload {
    private final String proxy;
    private final String index;
    private final boolean typed;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger documentsStarted = new AtomicInteger();
    /** The last third of each client's documents is written once the snapshot was taken (none in the background test). */
    private final java.util.concurrent.CountDownLatch snapshot;

    Workload(String proxy, String index, boolean typed, boolean withSnapshot) {
      this.proxy = proxy;
      this.index = index;
      this.typed = typed;
      this.snapshot = new java.util.concurrent.CountDownLatch(withSnapshot ? 1 : 0);
    }

    void run(int connection, int pauseMillis) {
      ClusterClient client = ClusterClient.connect(ClusterEndpoint.of(proxy)); // its own HTTP client: its own connection
      String type = typed ? "doc" : "_doc";
      try {
        for (int i = 0; i < DOCS_PER_CONNECTION; i++) {
          if (i == DOCS_PER_CONNECTION * 2 / 3) {
            snapshot.await();
          }
          String id = connection + "-" + i;
          if (connection == 0 && i == 0) { // a template made during the capture (typed on Elasticsearch 6)
            String mapping = "{\"properties\":{\"e\":{\"type\":\"keyword\"}}}";
            send(client, "PUT", "/_template/" + index + "-tpl", "{\"index_patterns\":[\"" + index + "-tpl-*\"],\"mappings\":"
                + (typed ? "{\"doc\":" + mapping + "}" : mapping) + "}");
          }
          JsonNode put = send(client, "PUT", "/" + index + "/" + type + "/" + id, "{\"title\":\"t" + id + "\",\"n\":" + i + "}");
          if (i % 4 == 1) { // optimistic concurrency: the target numbers its sequence numbers itself
            send(client, "PUT", "/" + index + "/" + type + "/" + id + "?if_seq_no=" + put.path("_seq_no").asLong()
                + "&if_primary_term=" + put.path("_primary_term").asLong(), "{\"title\":\"t" + id + "\",\"n\":" + i + ",\"checked\":true}");
          }
          if (i % 6 == 5) { // ids the source makes up: the target must hold the same ones
            send(client, "POST", "/" + index + "/" + type, "{\"title\":\"auto\",\"n\":" + i + "}");
            send(client, "POST", "/_bulk", "{\"index\":{\"_index\":\"" + index + "\"" + (typed ? ",\"_type\":\"doc\"" : "")
                + "}}\n{\"title\":\"auto-bulk\",\"n\":" + i + "}\n");
          }
          if (!typed && i % 9 == 4) { // Elasticsearch 7 still takes its _doc type here, OpenSearch does not
            send(client, "POST", "/" + index + "/_doc/" + id + "/_update", "{\"doc\":{\"via\":\"typed-update\"}}");
          }
          if (i % 3 == 1) {
            send(client, "POST", "/" + index + "/" + (typed ? "doc/" + id + "/_update" : "_update/" + id),
                "{\"doc\":{\"n\":" + (i * 10) + "}}");
          }
          if (i % 5 == 2) {
            send(client, "DELETE", "/" + index + "/" + type + "/" + id, null);
          }
          if (i % 7 == 3) {
            String action = typed ? ",\"_type\":\"doc\"" : "";
            String bulk = "{\"index\":{\"_index\":\"" + index + "\"" + action + ",\"_id\":\"" + id + "-b\"}}\n"
                + "{\"title\":\"bulk\",\"n\":" + i + "}\n"
                + "{\"update\":{\"_index\":\"" + index + "\"" + action + ",\"_id\":\"" + id + "\"}}\n"
                + "{\"doc\":{\"title\":\"bulk-updated\"}}\n"
                + "{\"delete\":{\"_index\":\"" + index + "\"" + action + ",\"_id\":\"" + connection + "-" + (i - 1) + "\"}}\n";
            send(client, "POST", "/_bulk", bulk);
          }
          if (i % 4 == 0) {
            send(client, "GET", "/" + index + (typed ? "/doc" : "") + "/_search?q=title:t" + id, null);
          }
          documentsStarted.incrementAndGet();
          Thread.sleep(pauseMillis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Sends one request through the proxy; returns the source's answer. */
    private JsonNode send(ClusterClient client, String method, String path, String body) {
      byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
      String type = body == null ? null : path.endsWith("_bulk") ? ClusterClient.NDJSON : ClusterClient.JSON;
      ClusterResponse response = client.send(method, path, bytes, type, Duration.ofSeconds(30));
      sent.incrementAndGet();
      assertTrue(response.status() < 300 || method.equals("DELETE") && response.status() == 404,
          method + " " + path + ": " + response.status() + " " + response.bodyText());
      return response.json();
    }

    void awaitStarted(int documents) throws InterruptedException {
      while (documentsStarted.get() < documents) {
        Thread.sleep(50);
      }
    }

    /** Every client's documents written through the proxy, {@code pauseMillis} apart, until all are done. */
    void runToEnd(int pauseMillis) throws Exception {
      ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
      try {
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
          int connection = c;
          running.add(clients.submit(() -> run(connection, pauseMillis)));
        }
        for (Future<?> f : running) {
          f.get();
        }
      } finally {
        clients.shutdown();
      }
    }

    void snapshotTaken() {
      snapshot.countDown();
    }

    int sent() {
      return sent.get();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
