package io.searchmigrate.pipelines.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.snapshot.SnapshotIO.SliceSink.Turn;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A backfill's progress ledger kept as documents of a hidden index on the target, {@value #INDEX} (one shard), so
 * that every worker of a fleet, on any machine, shares it ({@code --state target}). One ledger per snapshot (name and
 * uuid); one document per slice, its id the ledger's and the slice's key.
 *
 * <pre>{@code
 * SliceLedger ledger = TargetLedger.on(target, "snap-1", snapshotUuid);
 * if (ledger.claim(slice) == Turn.READ) { ...deliver...; ledger.record(slice); }
 * }</pre>
 *
 * <p>Claiming: a worker takes a slice by creating its document ({@code op_type=create}, state {@code claimed}, with
 * the worker's host, process id and start time): of two workers only one creates it, the other is told it exists
 * (409) and reads it back (a realtime GET: no refresh needed). A {@code finished} slice is skipped. A claim of
 * another worker is waited for ({@link Turn#LATER}) unless that worker is gone: a process on the same machine that no
 * longer runs (a killed run, started again) or, for one elsewhere, a claim older than {@link #LEASE}; a gone
 * worker's claim is taken over with the document's sequence number ({@code if_seq_no}), so again only one worker
 * wins it. A finished slice is recorded by overwriting its document ({@code finished}, with its document count),
 * whoever holds the claim then: its documents arrived. A slice that takes longer than the lease may be read twice,
 * which costs time but no correctness (writes are idempotent by {@code _id}).
 *
 * <p>The index is left out everywhere else: its name starts with a dot (system indices are chosen by no step unless
 * named) and it is hidden.
 */
public final class TargetLedger implements SliceLedger {
  public static final String INDEX = ".migrate-backfill-ledger";
  /** How long a claim of a worker on another machine holds before others take the slice over. */
  static final Duration LEASE = Duration.ofMinutes(10);
  private static final String HOST = hostName();
  private static final long PID = ProcessHandle.current().pid();
  private static final String STARTED = ProcessHandle.current().info().startInstant().map(Instant::toString).orElse("?");
  private static final int PAGE = 1_000;
  private static volatile boolean stopping;

  private final ClusterClient target;
  private final String snapshot;
  private final String snapshotUuid;
  private final String ledger;
  private boolean indexReady;

  private TargetLedger(ClusterClient target, String snapshot, String snapshotUuid) {
    this.target = target;
    this.snapshot = snapshot;
    this.snapshotUuid = snapshotUuid;
    this.ledger = snapshot + "@" + snapshotUuid;
  }

  /** The ledger of this snapshot (by name and uuid) on the target. */
  public static TargetLedger on(ClusterEndpoint target, String snapshot, String snapshotUuid) {
    return new TargetLedger(ClusterClient.connect(target), snapshot, snapshotUuid);
  }

  /** Every ledger the target holds, by snapshot, for {@code backfill status --state target}. */
  public static List<TargetLedger> all(ClusterEndpoint endpoint) {
    ClusterClient client = ClusterClient.connect(endpoint);
    List<TargetLedger> ledgers = new ArrayList<>();
    if (!client.head("/" + INDEX).isSuccess()) {
      return ledgers;
    }
    client.postJson("/" + INDEX + "/_refresh", null);
    ObjectNode query = Json.object().put("size", 0);
    query.putObject("aggs").putObject("ledgers").putObject("terms").put("field", "ledger").put("size", 10_000);
    for (JsonNode bucket : client.postJson("/" + INDEX + "/_search", query).requireSuccess().json()
        .path("aggregations").path("ledgers").path("buckets")) {
      String key = bucket.path("key").asText();
      int at = key.lastIndexOf('@');
      ledgers.add(new TargetLedger(client, key.substring(0, at), key.substring(at + 1)));
    }
    return ledgers;
  }

  public String snapshot() {
    return snapshot;
  }

  @Override
  public String location() {
    return "index " + INDEX + " on " + target.endpoint().url() + " (snapshot '" + snapshot + "', uuid " + snapshotUuid + ")";
  }

  @Override
  public boolean exists() {
    return target.head("/" + INDEX).isSuccess() && count("finished") + count("claimed") > 0;
  }

  /** Slices claimed by a worker and not finished (being read, or left by a worker that died). */
  public long claimed() {
    return count("claimed");
  }

  @Override
  public List<ProgressLedger.Entry> entries() {
    List<ProgressLedger.Entry> entries = new ArrayList<>();
    for (JsonNode doc : search("finished")) {
      entries.add(new ProgressLedger.Entry(doc.path("index").asText(), doc.path("shard").asInt(), doc.path("from").asInt(),
          doc.path("to").asInt(), doc.path("documents").asLong(), doc.path("snapshot").asText(),
          doc.path("snapshot_uuid").asText(), doc.path("target").asText(), Instant.parse(doc.path("finished_at").asText())));
    }
    return entries;
  }

  /** The ledger is of one snapshot uuid; the target is the one it is on. */
  @Override
  public String otherRun(String uuid, String targetUrl) {
    return null;
  }

  @Override
  public Turn claim(ProgressLedger.Entry slice) {
    ensureIndex();
    String path = "/" + INDEX + "/_create/" + id(slice.key());
    ClusterResponse created = target.putJson(path, claimOf(slice));
    if (created.isSuccess()) {
      return Turn.READ;
    }
    if (created.status() != 409) {
      throw new UserError("cannot claim slice " + slice.key() + " in " + location() + ": " + created.errorReason());
    }
    ClusterResponse found = target.get("/" + INDEX + "/_doc/" + id(slice.key()));
    if (found.status() == 404) {
      return Turn.LATER; // released in between: the next turn creates it
    }
    JsonNode doc = found.requireSuccess().json();
    JsonNode held = doc.path("_source");
    if ("finished".equals(held.path("state").asText())) {
      return Turn.SKIP;
    }
    if (!holderGone(held)) {
      return Turn.LATER;
    }
    ClusterResponse takenOver = target.putJson("/" + INDEX + "/_doc/" + id(slice.key()) + "?if_seq_no="
        + doc.path("_seq_no").asLong() + "&if_primary_term=" + doc.path("_primary_term").asLong(), claimOf(slice));
    return takenOver.isSuccess() ? Turn.READ : Turn.LATER; // 409: another worker took it over first
  }

  /** Whether the worker holding a claim is gone: a process of this machine that no longer runs, or a lapsed lease. */
  static boolean holderGone(JsonNode claim) {
    if (HOST.equals(claim.path("host").asText())) {
      long pid = claim.path("pid").asLong();
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      return process.isEmpty() || !process.get().isAlive()
          || !process.get().info().startInstant().map(Instant::toString).orElse("?").equals(claim.path("process_started").asText());
    }
    Instant claimedAt = Instant.parse(claim.path("claimed_at").asText(Instant.EPOCH.toString()));
    return claimedAt.plus(LEASE).isBefore(Instant.now());
  }

  @Override
  public void release(ProgressLedger.Entry slice) {
    ClusterResponse found = target.get("/" + INDEX + "/_doc/" + id(slice.key()));
    JsonNode held = found.isSuccess() ? found.json().path("_source") : null;
    if (held != null && "claimed".equals(held.path("state").asText()) && HOST.equals(held.path("host").asText())
        && held.path("pid").asLong() == PID) {
      target.delete("/" + INDEX + "/_doc/" + id(slice.key()) + "?if_seq_no=" + found.json().path("_seq_no").asLong()
          + "&if_primary_term=" + found.json().path("_primary_term").asLong());
    }
  }

  @Override
  public void record(ProgressLedger.Entry slice) {
    if (stopping) {
      return; // the slice is read again by the next run (writes are idempotent by _id)
    }
    ensureIndex();
    ObjectNode doc = fields(slice, "finished").put("documents", slice.documents())
        .put("finished_at", slice.finishedAt().toString());
    target.putJson("/" + INDEX + "/_doc/" + id(slice.key()), doc).requireSuccess();
  }

  @Override
  public int stopRecording() {
    stopping = true;
    return (int) count("finished");
  }

  @Override
  public void recordTotal(long slices, boolean complete) {
    ensureIndex();
    ObjectNode run = Json.object().put("kind", "run").put("ledger", ledger).put("snapshot", snapshot)
        .put("snapshot_uuid", snapshotUuid).put("slices_total", slices).put("complete", complete)
        .put("at", Instant.now().toString());
    target.putJson("/" + INDEX + "/_doc/" + id("run") + "?refresh=true", run).requireSuccess();
  }

  @Override
  public long total() {
    JsonNode run = runDocument();
    return run == null ? -1 : run.path("slices_total").asLong(-1);
  }

  @Override
  public boolean complete() {
    JsonNode run = runDocument();
    return run != null && run.path("complete").asBoolean(false);
  }

  @Override
  public void clear() {
    if (!target.head("/" + INDEX).isSuccess()) {
      return;
    }
    ObjectNode query = Json.object();
    query.putObject("query").putObject("term").put("ledger", ledger);
    target.postJson("/" + INDEX + "/_delete_by_query?refresh=true&conflicts=proceed", query).requireSuccess();
  }

  private JsonNode runDocument() {
    if (!target.head("/" + INDEX).isSuccess()) {
      return null;
    }
    ClusterResponse run = target.get("/" + INDEX + "/_doc/" + id("run"));
    return run.isSuccess() && run.json().path("found").asBoolean() ? run.json().path("_source") : null;
  }

  private ObjectNode claimOf(ProgressLedger.Entry slice) {
    return fields(slice, "claimed").put("host", HOST).put("pid", PID).put("process_started", STARTED)
        .put("claimed_at", Instant.now().toString());
  }

  private ObjectNode fields(ProgressLedger.Entry slice, String state) {
    return Json.object().put("kind", "slice").put("ledger", ledger).put("key", slice.key()).put("state", state)
        .put("snapshot", snapshot).put("snapshot_uuid", snapshotUuid).put("target", slice.target())
        .put("index", slice.index()).put("shard", slice.shard()).put("from", slice.from()).put("to", slice.to());
  }

  private String id(String key) {
    return URLEncoder.encode(ledger + "/" + key, StandardCharsets.UTF_8);
  }

  private long count(String state) {
    if (!target.head("/" + INDEX).isSuccess()) {
      return 0;
    }
    target.postJson("/" + INDEX + "/_refresh", null);
    return target.postJson("/" + INDEX + "/_count", query(state)).requireSuccess().json().path("count").asLong();
  }

  private ObjectNode query(String state) {
    ObjectNode query = Json.object();
    ArrayNode filter = query.putObject("query").putObject("bool").putArray("filter");
    filter.addObject().putObject("term").put("ledger", ledger);
    filter.addObject().putObject("term").put("state", state);
    return query;
  }

  /** The documents of one state, in key order, a page at a time. */
  private List<JsonNode> search(String state) {
    List<JsonNode> docs = new ArrayList<>();
    if (!target.head("/" + INDEX).isSuccess()) {
      return docs;
    }
    target.postJson("/" + INDEX + "/_refresh", null);
    JsonNode after = null;
    while (true) {
      ObjectNode request = query(state).put("size", PAGE);
      request.putArray("sort").add("key");
      if (after != null) {
        request.set("search_after", after);
      }
      JsonNode hits = target.postJson("/" + INDEX + "/_search", request).requireSuccess().json().path("hits").path("hits");
      for (JsonNode hit : hits) {
        docs.add(hit.path("_source"));
        after = hit.path("sort");
      }
      if (hits.size() < PAGE) {
        return docs;
      }
    }
  }

  /** Creates the index once: one shard, hidden, a replica where the cluster has a node for it. */
  private void ensureIndex() {
    if (indexReady) {
      return;
    }
    if (!target.head("/" + INDEX).isSuccess()) {
      ObjectNode body = Json.object();
      body.putObject("settings").putObject("index").put("number_of_shards", 1).put("auto_expand_replicas", "0-1")
          .put("hidden", true);
      ObjectNode properties = body.putObject("mappings").putObject("properties");
      for (String keyword : List.of("kind", "ledger", "key", "state", "snapshot", "snapshot_uuid", "target", "index",
          "host", "process_started")) {
        properties.putObject(keyword).put("type", "keyword");
      }
      for (String number : List.of("shard", "from", "to", "documents", "pid", "slices_total")) {
        properties.putObject(number).put("type", "long");
      }
      for (String date : List.of("claimed_at", "finished_at", "at")) {
        properties.putObject(date).put("type", "date");
      }
      properties.putObject("complete").put("type", "boolean");
      ClusterResponse created = target.putJson("/" + INDEX, body);
      if (!created.isSuccess() && !created.bodyText().contains("resource_already_exists_exception")) {
        throw new UserError("cannot create the backfill ledger index " + INDEX + " on " + target.endpoint().url() + ": "
            + created.errorReason() + "; the user needs the right to create it, or use --state DIR");
      }
    }
    indexReady = true;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
