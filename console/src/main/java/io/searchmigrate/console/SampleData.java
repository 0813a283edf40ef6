package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A realistic sample dataset for a source cluster: web logs, products and users across indices with 1-3 shards,
 * several segments each, custom routing, nested reviews, then updates and deletes, so a migration has real work.
 * Deterministic (fixed seed). Works on Elasticsearch 5.x-8.x and OpenSearch.
 */
final class SampleData {
  static final String LOGS = "sample_logs";
  static final String PRODUCTS = "sample_products";
  static final String USERS = "sample_users";
  private static final Map<String, String> ID_PREFIX = Map.of(LOGS, "log-", PRODUCTS, "product-", USERS, "user-");
  private static final String[] PATHS = {"/", "/cart", "/checkout", "/search?q=shoes", "/product/42", "/api/v1/orders", "/login"};
  private static final String[] AGENTS = {"Mozilla/5.0 (X11; Linux x86_64)", "curl/8.4.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)"};
  private static final String[] CATEGORIES = {"shoes", "books", "garden", "toys", "music", "kitchen"};
  private static final String[] WORDS = {"fast", "quiet", "sturdy", "blue", "vintage", "compact", "smart", "organic", "classic", "bold"};

  private final ClusterClient client;
  private final ClusterVersion version;
  private final Consumer<String> log;
  private final Random random = new Random(20261126L);

  SampleData(ClusterClient client, Consumer<String> log) {
    this.client = client;
    this.version = ClusterVersion.detect(client);
    this.log = log;
  }

  /** Loads about {@code documents} documents (before the deletes) and returns the live count per index. */
  Map<String, Long> load(int documents) {
    if (documents < 100) {
      throw new UserError("ask for at least 100 sample documents");
    }
    int logs = documents * 2 / 3;
    int products = documents / 6;
    int users = documents - logs - products;
    long started = System.nanoTime();
    createIndex(LOGS, 3, logsMapping());
    createIndex(PRODUCTS, 2, productsMapping());
    createIndex(USERS, 1, usersMapping());

    // several batches with a refresh between them: several segments per shard
    int batches = 4;
    for (int b = 0; b < batches; b++) {
      bulk(LOGS, range(b * logs / batches, (b + 1) * logs / batches), this::logEntry, i -> null);
      bulk(PRODUCTS, range(b * products / batches, (b + 1) * products / batches), this::product, i -> CATEGORIES[i % CATEGORIES.length]);
      bulk(USERS, range(b * users / batches, (b + 1) * users / batches), this::user, i -> null);
      refresh();
      log.accept(String.format(Locale.ROOT, "  loaded batch %d/%d", b + 1, batches));
    }
    // updates: products re-priced (full replace), users re-indexed; deletes spread over every index
    bulk(PRODUCTS, every(products, 5), i -> ((ObjectNode) product(i)).put("price", 9.99).put("on_sale", true),
        i -> CATEGORIES[i % CATEGORIES.length]);
    bulk(USERS, every(users, 10), i -> ((ObjectNode) user(i)).put("plan", "premium"), i -> null);
    delete(LOGS, every(logs, 25), i -> null);
    delete(PRODUCTS, every(products, 50), i -> CATEGORIES[i % CATEGORIES.length]);
    delete(USERS, every(users, 20), i -> null);
    refresh();
    Map<String, Long> counts = counts(client, List.of(LOGS, PRODUCTS, USERS));
    log.accept(String.format(Locale.ROOT, "  sample data loaded in %.1f s: %s", (System.nanoTime() - started) / 1e9, counts));
    return counts;
  }

  static Map<String, Long> counts(ClusterClient cluster, List<String> indices) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String index : indices) {
      ClusterResponse response = cluster.get("/" + index + "/_count");
      counts.put(index, response.isSuccess() ? response.json().path("count").asLong() : -1L);
    }
    return counts;
  }

  private interface DocumentMaker {
    JsonNode make(int i);
  }

  private interface Routing {
    String of(int i);
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add(i);
    }
    return ids;
  }

  private static List<Integer> every(int count, int step) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < count; i += step) {
      ids.add(i);
    }
    return ids;
  }

  private String type() {
    return version.isElasticsearch() && version.major() < 7 ? (version.major() == 5 ? "doc" : "_doc") : null;
  }

  private void createIndex(String index, int shards, ObjectNode mapping) {
    client.delete("/" + index);
    ObjectNode body = Json.object();
    body.putObject("settings").put("number_of_shards", shards).put("number_of_replicas", 0);
    if (type() != null) {
      body.putObject("mappings").set(type(), mapping);
    } else {
      body.set("mappings", mapping);
    }
    client.putJson("/" + index, body).requireSuccess();
  }

  private void bulk(String index, List<Integer> ids, DocumentMaker maker, Routing routing) {
    send(index, ids, maker, routing, "index");
  }

  private void delete(String index, List<Integer> ids, Routing routing) {
    send(index, ids, null, routing, "delete");
  }

  private void send(String index, List<Integer> ids, DocumentMaker maker, Routing routing, String op) {
    for (int start = 0; start < ids.size(); start += 2_000) {
      StringBuilder body = new StringBuilder();
      for (int i : ids.subList(start, Math.min(ids.size(), start + 2_000))) {
        ObjectNode action = Json.object();
        ObjectNode meta = action.putObject(op).put("_index", index).put("_id", ID_PREFIX.get(index) + i);
        if (type() != null) {
          meta.put("_type", type());
        }
        String r = routing.of(i);
        if (r != null) {
          meta.put(version.isElasticsearch() && version.major() < 7 ? "_routing" : "routing", r);
        }
        body.append(Json.toString(action)).append('\n');
        if (maker != null) {
          body.append(Json.toString(maker.make(i))).append('\n');
        }
      }
      ClusterResponse response = client.send("POST", "/_bulk", body.toString().getBytes(StandardCharsets.UTF_8),
          ClusterClient.NDJSON, Duration.ofMinutes(2)).requireSuccess();
      if (response.json().path("errors").asBoolean()) {
        throw new UserError("loading sample data into " + index + " failed: " + response.bodyText().substring(0, 500));
      }
    }
  }

  private void refresh() {
    client.postJson("/" + String.join(",", LOGS, PRODUCTS, USERS) + "/_refresh", null).requireSuccess();
  }

  private static ObjectNode logsMapping() {
    ObjectNode m = Json.object();
    ObjectNode p = m.putObject("properties");
    p.putObject("@timestamp").put("type", "date");
    p.putObject("status").put("type", "integer");
    p.putObject("path").put("type", "keyword");
    p.putObject("bytes").put("type", "long");
    p.putObject("agent").put("type", "keyword");
    p.putObject("message").put("type", "text");
    return m;
  }

  private static ObjectNode productsMapping() {
    ObjectNode m = Json.object();
    ObjectNode p = m.putObject("properties");
    p.putObject("name").put("type", "text");
    p.putObject("category").put("type", "keyword");
    p.putObject("price").put("type", "double");
    p.putObject("on_sale").put("type", "boolean");
    ObjectNode reviews = p.putObject("reviews").put("type", "nested");
    reviews.putObject("properties").putObject("stars").put("type", "integer");
    return m;
  }

  private static ObjectNode usersMapping() {
    ObjectNode m = Json.object();
    ObjectNode p = m.putObject("properties");
    p.putObject("name").put("type", "text");
    p.putObject("email").put("type", "keyword");
    p.putObject("plan").put("type", "keyword");
    p.putObject("signed_up").put("type", "date");
    return m;
  }

  private JsonNode logEntry(int i) {
    int status = random.nextInt(100) < 90 ? 200 : (random.nextBoolean() ? 404 : 500);
    String path = PATHS[random.nextInt(PATHS.length)];
    return Json.object().put("@timestamp", Instant.ofEpochSecond(1_767_225_600L + i * 7L).toString()).put("status", status)
        .put("path", path).put("bytes", 200 + random.nextInt(50_000)).put("agent", AGENTS[random.nextInt(AGENTS.length)])
        .put("message", "GET " + path + " HTTP/1.1 " + status + " served by node-" + random.nextInt(8));
  }

  private JsonNode product(int i) {
    ObjectNode p = Json.object().put("name", WORDS[i % WORDS.length] + " " + WORDS[(i / 10) % WORDS.length] + " item " + i)
        .put("category", CATEGORIES[i % CATEGORIES.length]).put("price", Math.round(random.nextDouble() * 20_000) / 100.0)
        .put("on_sale", false);
    var reviews = p.putArray("reviews");
    for (int r = 0; r < i % 4; r++) {
      reviews.add(Json.object().put("stars", 1 + random.nextInt(5)).put("text", "review " + r + " of item " + i));
    }
    return p;
  }

  private JsonNode user(int i) {
    return Json.object().put("name", "User " + i).put("email", "user" + i + "@example.com").put("plan", i % 3 == 0 ? "pro" : "free")
        .put("signed_up", Instant.ofEpochSecond(1_600_000_000L + i * 3_600L).toString());
  }
}
