package io.searchmigrate.validation.tuples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.validation.CanonicalJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the source's and the target's answer to one replayed request (one tuple line). Pure functions.
 *
 * <pre>{@code
 * TupleComparison.Result r = new TupleComparison(TupleComparison.DEFAULT_IGNORED).compare(tuple, noise);
 * }</pre>
 *
 * <p>Statuses first; then the bodies, parsed as JSON, normalized (a hit total written as Elasticsearch 6's integer
 * becomes 7+'s {@code {"value":n,"relation":"eq"}}) and flattened to paths ({@code hits.hits.0._id}). Paths that
 * always differ between two clusters are ignored ({@link #DEFAULT_IGNORED} plus {@code --ignore}); an entry without a
 * dot matches a field of that name anywhere, one with dots matches a path prefix ({@code *} for any array position).
 * Searches are judged on hit totals, hit ids in order and aggregations; writes on {@code result}, {@code status} and
 * {@code errors} only; other reads on the whole body. Differences only on paths learned as noise for the request's
 * pattern are {@code noise}, not failures. A write the target had already applied ({@code created} on the source,
 * {@code updated} on the target, or a 409 conflict for a create; {@code updated} against {@code noop}; {@code deleted}
 * against {@code not_found}, for a request or for every differing
 * {@code _bulk} item) is {@code already-applied}, not a failure: the snapshot the backfill read was taken after the
 * capture began, so the replay re-applies writes the target already holds, and ends in the same document.
 */
public final class TupleComparison {
  /** Paths that differ between any two clusters, or between a source and the replay of its writes. */
  public static final List<String> DEFAULT_IGNORED = List.of("took", "_shards", "_seq_no", "_primary_term", "_version",
      "_type", "_scroll_id", "pit_id", "_node", "timed_out", "max_score", "_score");

  /** Categories, in the order they are judged. */
  public enum Category {
    MATCH, STATUS, HITS_TOTAL, HIT_IDS, AGGREGATIONS, WRITE_RESULT, BODY, NOISE, ALREADY_APPLIED;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean isFailure() {
      return this != MATCH && this != NOISE && this != ALREADY_APPLIED;
    }
  }

  /** The verdict on one tuple. */
  public static final class Result {
    public final String connection;
    public final long requestIndex;
    public final String method;
    public final String pattern;
    public final Category category;
    public final List<String> paths;
    final JsonNode sourceStatus;
    final JsonNode targetStatus;

    Result(JsonNode tuple, String method, String pattern, Category category, List<String> paths) {
      this.connection = tuple.path("connection").asText();
      this.requestIndex = tuple.path("request_index").asLong();
      this.method = method;
      this.pattern = pattern;
      this.category = category;
      this.paths = paths;
      this.sourceStatus = tuple.path("source_response").path("status");
      this.targetStatus = statusOf(tuple.path("target_response"));
    }

    public ObjectNode toJson() {
      ObjectNode node = Json.object();
      node.put("connection", connection);
      node.put("request_index", requestIndex);
      node.put("request", method + " " + pattern);
      node.put("category", category.label());
      node.set("source_status", sourceStatus);
      node.set("target_status", targetStatus);
      paths.forEach(node.putArray("paths")::add);
      return node;
    }
  }

  private final List<String> ignored;

  public TupleComparison(List<String> ignored) {
    this.ignored = List.copyOf(ignored);
  }

  /** Compares one tuple; {@code noise} maps a request pattern to the paths learned as noise for it. */
  public Result compare(JsonNode tuple, Map<String, Set<String>> noise) {
    JsonNode request = tuple.path("source_request");
    String method = request.path("method").asText("GET").toUpperCase(Locale.ROOT);
    String pattern = pattern(request.path("path").asText("/"));
    JsonNode source = tuple.path("source_response");
    JsonNode target = first(tuple.path("target_response"));
    boolean write = isWrite(method, pattern);
    if (target.isMissingNode() || !statusesMatch(source.path("status"), tuple.path("target_response"))) {
      boolean reapplied = write && !tuple.path("target_response").isArray()
          && alreadyApplied(source.path("status").asInt(), target.path("status").asInt(), source.path("body").path("result").asText(),
              target.path("body").path("result").asText());
      return new Result(tuple, method, pattern, reapplied ? Category.ALREADY_APPLIED : Category.STATUS, List.of());
    }
    List<String> differing = differingPaths(source.path("body"), target.path("body"));
    if (differing.isEmpty()) {
      return new Result(tuple, method, pattern, Category.MATCH, List.of());
    }
    Set<String> learned = noise.getOrDefault(method + " " + pattern, Set.of());
    List<String> real = differing.stream().filter(p -> !learned.contains(generalize(p))).toList();
    if (real.isEmpty()) {
      return new Result(tuple, method, pattern, Category.NOISE, differing);
    }
    Category category;
    if (isSearch(pattern)) {
      category = real.stream().anyMatch(p -> p.startsWith("hits.total")) ? Category.HITS_TOTAL
          : real.stream().anyMatch(p -> p.matches("hits\\.hits\\.\\d+\\._id|hits\\.hits\\.\\d+")) ? Category.HIT_IDS
          : real.stream().anyMatch(p -> p.startsWith("aggregations")) ? Category.AGGREGATIONS
          : Category.BODY;
    } else if (write) {
      real = real.stream().filter(TupleComparison::isWriteOutcome).toList();
      category = real.isEmpty() ? Category.MATCH
          : itemsAlreadyApplied(real, flatten(source.path("body")), flatten(target.path("body"))) ? Category.ALREADY_APPLIED
          : Category.WRITE_RESULT;
    } else {
      category = Category.BODY;
    }
    return new Result(tuple, method, pattern, category, category == Category.MATCH ? List.of() : real);
  }

  /** Paths that differ between two answers of the target to the same request (the tuple's repeated answer), if any. */
  public List<String> noiseOf(JsonNode tuple) {
    JsonNode repeat = tuple.path("target_response_repeat");
    if (repeat.isMissingNode()) {
      return List.of();
    }
    return differingPaths(first(tuple.path("target_response")).path("body"), first(repeat).path("body")).stream()
        .map(TupleComparison::generalize).distinct().toList();
  }

  /** The request's method and pattern, the unit of learned noise and of the summary. */
  public static String key(JsonNode tuple) {
    JsonNode request = tuple.path("source_request");
    return request.path("method").asText("GET").toUpperCase(Locale.ROOT) + " " + pattern(request.path("path").asText("/"));
  }

  /**
   * A path with its names generalized: API segments ({@code _search}) kept, the first other segment becomes
   * {@code {index}}, later ones {@code {id}}; the query string is dropped.
   */
  public static String pattern(String path) {
    int q = path.indexOf('?');
    String bare = q < 0 ? path : path.substring(0, q);
    StringBuilder out = new StringBuilder();
    boolean sawIndex = false;
    for (String segment : bare.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      out.append('/');
      if (segment.startsWith("_")) {
        out.append(segment);
      } else if (!sawIndex) {
        out.append("{index}");
        sawIndex = true;
      } else {
        out.append("{id}");
      }
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  List<String> differingPaths(JsonNode source, JsonNode target) {
    Map<String, String> a = flatten(normalize(source));
    Map<String, String> b = flatten(normalize(target));
    Set<String> all = new TreeSet<>(a.keySet());
    all.addAll(b.keySet());
    List<String> differing = new ArrayList<>();
    for (String path : all) {
      if (!ignored(path) && !java.util.Objects.equals(a.get(path), b.get(path))) {
        differing.add(path);
      }
    }
    return differing;
  }

  private boolean ignored(String path) {
    String general = generalize(path);
    List<String> segments = List.of(path.split("\\."));
    for (String entry : ignored) {
      if (entry.contains(".")) {
        if (general.equals(entry) || general.startsWith(entry + ".")) {
          return true;
        }
      } else if (segments.contains(entry)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode normalize(JsonNode body) {
    if (body == null || !body.isObject()) {
      return body;
    }
    ObjectNode copy = body.deepCopy();
    JsonNode hits = copy.get("hits");
    if (hits instanceof ObjectNode && hits.path("total").isNumber()) {
      ((ObjectNode) hits).set("total", Json.object().put("value", hits.path("total").asLong()).put("relation", "eq"));
    }
    return copy;
  }

  private static Map<String, String> flatten(JsonNode node) {
    Map<String, String> out = new TreeMap<>();
    flatten("", node, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node == null || node.isMissingNode()) {
      return;
    }
    if (node.isObject() && node.size() > 0) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
      }
    } else if (node.isArray() && node.size() > 0) {
      for (int i = 0; i < node.size(); i++) {
        flatten(prefix.isEmpty() ? String.valueOf(i) : prefix + "." + i, node.get(i), out);
      }
    } else {
      out.put(prefix, CanonicalJson.of(node));
    }
  }

  /** Array positions become {@code *}: {@code hits.hits.3._score} is {@code hits.hits.*._score}. */
  static String generalize(String path) {
    return path.replaceAll("(^|\\.)\\d+(?=\\.|$)", "$1*");
  }

  private static boolean isSearch(String pattern) {
    return pattern.endsWith("/_search") || pattern.endsWith("/_msearch") || pattern.endsWith("/_count");
  }

  private static boolean isWrite(String method, String pattern) {
    return !method.equals("GET") && !method.equals("HEAD") && !isSearch(pattern) && !pattern.endsWith("/_mget");
  }

  private static boolean isWriteOutcome(String path) {
    String last = path.substring(path.lastIndexOf('.') + 1);
    return last.equals("result") || last.equals("status") || last.equals("errors") || path.equals("result")
        || path.startsWith("error");
  }

  /** A write answered as the re-application of one the target already held: created/updated or deleted/not_found. */
  private static boolean alreadyApplied(int sourceStatus, int targetStatus, String sourceResult, String targetResult) {
    return (sourceStatus == 201 && targetStatus == 200 && sourceResult.equals("created") && targetResult.equals("updated"))
        || (sourceStatus == 200 && targetStatus == 404 && sourceResult.equals("deleted") && targetResult.equals("not_found"))
        // a create of a document the target holds already (version conflict), an update that changes nothing there
        || (sourceStatus == 201 && targetStatus == 409 && sourceResult.equals("created"))
        || (sourceStatus == 200 && targetStatus == 200 && sourceResult.equals("updated") && targetResult.equals("noop"));
  }

  /**
   * Whether every differing write outcome belongs to a {@code _bulk} item ({@code items.3.index.result} and its
   * {@code status}) that the target answered as already applied (the top-level {@code errors} aside).
   */
  private static boolean itemsAlreadyApplied(List<String> differing, Map<String, String> source, Map<String, String> target) {
    for (String path : differing) {
      if (path.equals("errors")) {
        continue; // set by the conflicts of creates already applied; any real failure is an item judged below
      }
      int dot = path.lastIndexOf('.');
      if (!path.startsWith("items.") || dot < 0) {
        return false;
      }
      String item = path.substring(0, dot);
      if (!alreadyApplied(intOf(source.get(item + ".status")), intOf(target.get(item + ".status")),
          textOf(source.get(item + ".result")), textOf(target.get(item + ".result")))) {
        return false;
      }
    }
    return true;
  }

  private static int intOf(String canonical) {
    try {
      return canonical == null ? -1 : new java.math.BigDecimal(canonical).intValue(); // canonical 200 is "2E+2"
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String textOf(String canonical) {
    return canonical == null ? "" : Json.parse(canonical).asText();
  }

  private static JsonNode first(JsonNode response) {
    return response.isArray() ? response.path(0) : response;
  }

  private static JsonNode statusOf(JsonNode response) {
    if (response.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode statuses = Json.array();
      response.forEach(r -> statuses.add(r.path("status")));
      return statuses;
    }
    return response.path("status");
  }

  private static boolean statusesMatch(JsonNode source, JsonNode target) {
    if (target.isArray()) {
      if (target.size() == 0) {
        return false;
      }
      for (JsonNode r : target) {
        if (r.path("status").asInt(-1) != source.asInt(-2)) {
          return false;
        }
      }
      return true;
    }
    return target.path("status").asInt(-1) == source.asInt(-2);
  }
}
