package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.ProgressLine;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Everyday tools against the source and the target of a migration: check them, list their indices, send one request,
 * clear the target's indices, generate test data. Each takes the same {@code --source}/{@code --target} flags as every
 * other command; tools that work on one cluster pick it with {@code --on source|target} when both are given.
 */
final class ClusterToolsCommand {
  private ClusterToolsCommand() {}

  /** Both clusters' flags, and which one a single-cluster tool works on. */
  static final class Pair {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @CommandLine.Mixin
    ClusterOptions.Source source;

    @CommandLine.Mixin
    ClusterOptions.Target target;

    @Option(names = "--on", paramLabel = "source|target", description = "the cluster to work on when both are given")
    String on;

    /** role → endpoint, for every cluster given, source first. */
    Map<String, ClusterEndpoint> given() {
      Map<String, ClusterEndpoint> clusters = new LinkedHashMap<>();
      if (source.url != null) {
        clusters.put("source", source.endpoint());
      }
      if (target.url != null) {
        clusters.put("target", target.endpoint());
      }
      if (clusters.isEmpty()) {
        throw new UserError("no cluster given: pass --source URL and/or --target URL");
      }
      return clusters;
    }

    /** The one cluster a tool works on, with its role. */
    Map.Entry<String, ClusterEndpoint> one() {
      Map<String, ClusterEndpoint> clusters = given();
      if (on == null && clusters.size() > 1 && mixee != null) {
        // one typed, the other from the configuration: the typed one
        boolean sourceTyped = ConfigDefaults.typed(mixee, "--source");
        if (sourceTyped != ConfigDefaults.typed(mixee, "--target")) {
          String role = sourceTyped ? "source" : "target";
          return Map.entry(role, clusters.get(role));
        }
      }
      if (on == null) {
        if (clusters.size() > 1) {
          throw new UserError("both --source and --target are given; say which one with --on source or --on target");
        }
        return clusters.entrySet().iterator().next();
      }
      String role = on.toLowerCase(Locale.ROOT);
      if (!role.equals("source") && !role.equals("target")) {
        throw new UserError("--on takes source or target, not '" + on + "'");
      }
      if (!clusters.containsKey(role)) {
        throw new UserError("--on " + role + " but no --" + role + " URL is given");
      }
      return Map.entry(role, clusters.get(role));
    }
  }

  @Command(name = "check", description = "Check that the given clusters answer: reachable, credentials accepted, version, health.")
  static final class Check implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Pair clusters;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      boolean allOk = true;
      String format = "%-7s %-5s %s%n";
      out.printf(format, "CLUSTER", "STATE", "DETAILS");
      for (Map.Entry<String, ClusterEndpoint> cluster : clusters.given().entrySet()) {
        Probe probe = probe(cluster.getKey(), cluster.getValue());
        boolean ok = probe.ok();
        String details = probe.details();
        allOk &= ok;
        out.printf(format, cluster.getKey(), ok ? "OK" : "FAIL", details);
      }
      out.flush();
      return allOk ? 0 : Migrate.RUN_FAILED;
    }
  }

  /** What a cluster answered: reachable, credentials accepted, its version and health. */
  record Probe(boolean ok, String details, ClusterVersion version) {}

  /** Asks a cluster whether it answers, accepts the credentials, what it is and how healthy (red fails). */
  static Probe probe(String role, ClusterEndpoint endpoint) {
    try {
      ClusterClient client = ClusterClient.connect(endpoint);
      ClusterResponse root = client.get("/");
      if (root.status() == 401 || root.status() == 403) {
        throw new UserError("credentials refused (HTTP " + root.status() + "): " + (endpoint.sigV4() != null
            ? endpoint.credentialsAdvice() : "check --" + role + "-user and its password"));
      }
      ClusterVersion version = ClusterVersion.detect(client);
      JsonNode health = client.getJson("/_cluster/health");
      String status = health.path("status").asText("?");
      boolean ok = !status.equals("red");
      return new Probe(ok, endpoint.url() + " " + version + ", health " + status + ", " + health.path("number_of_nodes").asInt()
          + " node(s)" + (ok ? "" : ": some primary shards are unassigned; see GET /_cluster/allocation/explain"), version);
    } catch (UserError e) { // unreachable, refused, or not a cluster
      return new Probe(false, endpoint.url() + ": " + e.getMessage(), null);
    }
  }

  @Command(name = "cat-indices", description = "List a cluster's indices (name order): health, documents, size.")
  static final class CatIndices implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Pair clusters;

    @Option(names = "--all", description = "include system indices (dot-prefixed and the like)")
    boolean all;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      for (Map.Entry<String, ClusterEndpoint> cluster : clusters.given().entrySet()) {
        if (clusters.given().size() > 1) {
          out.println(cluster.getKey() + " " + cluster.getValue().url() + ":");
        }
        Map<String, JsonNode> indices = indices(ClusterClient.connect(cluster.getValue()), all);
        String format = "%-40s %-7s %12s %14s%n";
        out.printf(format, "INDEX", "HEALTH", "DOCS", "BYTES");
        indices.forEach((name, row) -> out.printf(format, name, row.path("health").asText(), row.path("docs.count").asText("0"),
            row.path("store.size").asText("0")));
        out.println(indices.size() + " index(es)");
      }
      out.flush();
      return 0;
    }
  }

  /** The indices of a cluster by name (system ones only with {@code all}), as _cat/indices describes them. */
  static Map<String, JsonNode> indices(ClusterClient client, boolean all) {
    Selection defaults = Selection.defaults();
    Map<String, JsonNode> indices = new TreeMap<>();
    for (JsonNode row : client.getJson("/_cat/indices?format=json&bytes=b&expand_wildcards=all")) {
      String name = row.path("index").asText();
      if (all || defaults.indexExclusion(name) == null) {
        indices.put(name, row);
      }
    }
    return indices;
  }

  @Command(name = "curl", description = "Send one request to a cluster and print its answer (JSON pretty-printed).")
  static final class Curl implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Pair clusters;

    @Parameters(index = "0", paramLabel = "METHOD", description = "GET, PUT, POST, DELETE or HEAD")
    String method;

    @Parameters(index = "1", paramLabel = "PATH", description = "path and query, e.g. /_cat/health?v")
    String path;

    @Option(names = {"-d", "--data"}, paramLabel = "BODY", description = "request body (JSON, or NDJSON for _bulk)")
    String body;

    @Override
    public Integer call() {
      ClusterEndpoint endpoint = clusters.one().getValue();
      String m = method.toUpperCase(Locale.ROOT);
      String contentType = path.contains("_bulk") || path.contains("_msearch") ? ClusterClient.NDJSON : ClusterClient.JSON;
      ClusterResponse response = ClusterClient.connect(endpoint).send(m, path.startsWith("/") ? path : "/" + path,
          body == null ? null : body.getBytes(StandardCharsets.UTF_8), contentType, Duration.ofMinutes(2));
      PrintWriter out = spec.commandLine().getOut();
      String text = response.bodyText();
      try {
        text = text.isBlank() ? text : Json.toPrettyString(Json.parse(text));
      } catch (RuntimeException notJson) {
        // printed as it came
      }
      out.println(m + " " + path + " → HTTP " + response.status());
      if (!text.isBlank()) {
        out.println(text.strip());
      }
      out.flush();
      return response.status() < 400 ? 0 : Migrate.RUN_FAILED;
    }
  }

  @Command(name = "clear-indices", description = "Delete every index of a cluster but system ones (asks first; --yes for scripts).")
  static final class ClearIndices implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Pair clusters;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    @Override
    public Integer call() {
      Map.Entry<String, ClusterEndpoint> cluster = clusters.one();
      ClusterClient client = ClusterClient.connect(cluster.getValue());
      List<String> names = new ArrayList<>(indices(client, false).keySet());
      PrintWriter out = spec.commandLine().getOut();
      if (names.isEmpty()) {
        out.println("no indices to delete on the " + cluster.getKey() + " " + cluster.getValue().url());
        out.flush();
        return 0;
      }
      if (!yes) {
        out.println("about to DELETE " + names.size() + " index(es) on the " + cluster.getKey() + " " + cluster.getValue().url()
            + ": " + String.join(", ", names));
        out.print("type 'yes' to go on: ");
        out.flush();
        String answer = Confirmation.ask();
        if (answer == null || !answer.trim().equals("yes")) {
          out.println("nothing deleted");
          out.flush();
          return Migrate.RUN_FAILED;
        }
      }
      for (String name : names) {
        client.delete("/" + ClusterClient.segment(name)).requireSuccess();
        out.println("deleted " + name);
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "generate-data", description = "Write N generated documents into an index, in bulk, with a progress line.")
  static final class GenerateData implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Pair clusters;

    @Option(names = "--index", required = true)
    String index;

    @Option(names = "--docs", required = true, description = "how many documents")
    int docs;

    @Option(names = "--doc-size", defaultValue = "200", description = "about how many bytes of source per document (default: ${DEFAULT-VALUE})")
    int docSize;

    @Option(names = "--batch", defaultValue = "1000", description = "documents per bulk request (default: ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() {
      if (docs < 1 || docSize < 1 || batch < 1) {
        throw new UserError("--docs, --doc-size and --batch must be positive");
      }
      ClusterClient client = ClusterClient.connect(clusters.one().getValue());
      boolean typed = ClusterVersion.detect(client).isElasticsearch() && ClusterVersion.detect(client).major() < 7;
      ProgressLine progress = ProgressLine.on(spec.commandLine().getErr(), "generate-data").withTotal(docs);
      StringBuilder bulk = new StringBuilder();
      int inBatch = 0;
      for (int i = 1; i <= docs; i++) {
        ObjectNode action = Json.object();
        ObjectNode meta = action.putObject("index").put("_index", index).put("_id", "gen-" + i);
        if (typed) {
          meta.put("_type", "_doc");
        }
        bulk.append(Json.toString(action)).append('\n').append(Json.toString(document(i, docSize))).append('\n');
        if (++inBatch == batch || i == docs) {
          ClusterResponse response = client.send("POST", "/_bulk?filter_path=errors,items.*.error", bulk.toString()
              .getBytes(StandardCharsets.UTF_8), ClusterClient.NDJSON, Duration.ofMinutes(2));
          response.requireSuccess();
          if (response.json().path("errors").asBoolean()) {
            throw new UserError("the cluster refused documents of " + index + ": " + response.bodyText());
          }
          progress.update(i);
          bulk.setLength(0);
          inBatch = 0;
        }
      }
      client.postJson("/" + ClusterClient.segment(index) + "/_refresh", null);
      progress.finish(docs);
      spec.commandLine().getOut().println(docs + " document(s) written to " + index);
      spec.commandLine().getOut().flush();
      return 0;
    }

    /** A document of about {@code size} bytes: a number, a keyword, a date and filler text, the same for the same n. */
    static ObjectNode document(int n, int size) {
      ObjectNode doc = Json.object().put("n", n).put("category", "c" + (n % 10)).put("created", "2026-01-01T00:00:00Z");
      StringBuilder text = new StringBuilder();
      String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
      for (int w = 0; text.length() < Math.max(0, size - 70); w++) {
        text.append(words[(n + w) % words.length]).append(' ');
      }
      return doc.put("text", text.toString().trim());
    }
  }
}
