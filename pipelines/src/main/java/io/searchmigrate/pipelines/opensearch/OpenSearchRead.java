package io.searchmigrate.pipelines.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.pipelines.coders.SourceDocumentCoder;
import io.searchmigrate.pipelines.metrics.IndexCounters;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Beam source that reads every document of the chosen indices of a live cluster (Elasticsearch 5.x–8.x, OpenSearch
 * 1.x–3.x), as {@link SourceDocument}s: index, {@code _id}, {@code _routing}, {@code _source} and, for Elasticsearch 5
 * and 6, the mapping type.
 *
 * <pre>{@code
 * PCollection<SourceDocument> docs = pipeline.apply(OpenSearchIO.read()
 *     .from(ClusterEndpoint.of("http://localhost:9200")).withSelection(Selection.ofIndices(List.of("orders-*"))));
 * }</pre>
 *
 * <p>Steps: {@code ListSlices} (the chosen indices, resolved when the pipeline runs, each cut into as many slices as it
 * has primary shards, or {@link #withSlicesPerIndex(int)}) → {@code Spread} (a reshuffle, so workers read slices at
 * once) → {@code ReadSlices} (a sliced scroll sorted by {@code _doc}). Sliced scroll is what every version from
 * Elasticsearch 5.0 to OpenSearch 3 has in common; point in time arrived only in Elasticsearch 7.10 and OpenSearch 2.4,
 * so one code path serves all. A scroll sees the index as it was when it opened: documents written meanwhile may
 * or may not be read (validation's {@code --settle} accounts for them).
 *
 * <p>Metrics, namespace {@value #METRICS_NAMESPACE}: {@code <index>|read} documents.
 */
public final class OpenSearchRead extends PTransform<PBegin, PCollection<SourceDocument>> {
  private static final long serialVersionUID = 1L;
  public static final String METRICS_NAMESPACE = "OpenSearchRead";
  public static final String READ = "read";
  /** How long a read waits out a cluster rejecting its requests for load (429). */
  static final Duration REJECTED_TIMEOUT = Duration.ofMinutes(10);

  private final ClusterEndpoint cluster;
  private final Selection selection;
  private final int slicesPerIndex;
  private final int pageSize;
  private final Duration keepAlive;

  private OpenSearchRead(ClusterEndpoint cluster, Selection selection, int slicesPerIndex, int pageSize, Duration keepAlive) {
    this.cluster = cluster;
    this.selection = selection;
    this.slicesPerIndex = slicesPerIndex;
    this.pageSize = pageSize;
    this.keepAlive = keepAlive;
  }

  static OpenSearchRead create() {
    return new OpenSearchRead(null, Selection.defaults(), 0, 1_000, Duration.ofMinutes(5));
  }

  public OpenSearchRead from(ClusterEndpoint endpoint) {
    return new OpenSearchRead(endpoint, selection, slicesPerIndex, pageSize, keepAlive);
  }

  /** Which indices (default: all but system indices). An allowlist entry matching nothing fails the run. */
  public OpenSearchRead withSelection(Selection indices) {
    return new OpenSearchRead(cluster, Objects.requireNonNull(indices), slicesPerIndex, pageSize, keepAlive);
  }

  /** Slices per index, the unit of parallel reading (default 0: one per primary shard). */
  public OpenSearchRead withSlicesPerIndex(int slices) {
    if (slices < 0) {
      throw new IllegalArgumentException("slices per index must be 0 (one per shard) or more, not " + slices);
    }
    return new OpenSearchRead(cluster, selection, slices, pageSize, keepAlive);
  }

  /** Documents per scroll page (default 1,000). */
  public OpenSearchRead withPageSize(int documents) {
    if (documents < 1) {
      throw new IllegalArgumentException("a page holds at least one document, not " + documents);
    }
    return new OpenSearchRead(cluster, selection, slicesPerIndex, documents, keepAlive);
  }

  @Override
  public PCollection<SourceDocument> expand(PBegin input) {
    Objects.requireNonNull(cluster, "from(cluster) is required");
    return input
        .apply("Start", Create.of(0))
        .apply("ListSlices", ParDo.of(new ListSlicesFn(cluster, selection, slicesPerIndex)))
        .setCoder(SerializableCoder.of(Slice.class))
        .apply("Spread", Reshuffle.viaRandomKey())
        .apply("ReadSlices", ParDo.of(new ReadSliceFn(cluster, pageSize, keepAlive)))
        .setCoder(SourceDocumentCoder.of());
  }

  /** The indices of a cluster chosen by a selection, sorted; errors name the cluster. */
  public static List<String> indices(ClusterClient client, Selection selection) {
    return selection.indices(primaryShards(client).keySet(), "cluster " + client.endpoint().url());
  }

  /**
   * The closed indices a selection would choose, sorted: they cannot be read, and a snapshot leaves them out unless
   * named, so the steps that pass them by say so.
   */
  public static List<String> closedIndices(ClusterClient client, Selection selection) {
    List<String> closed = new java.util.ArrayList<>();
    for (JsonNode row : client.getJson("/_cat/indices?format=json&h=index,status")) {
      String index = row.path("index").asText();
      if ("close".equals(row.path("status").asText()) && selection.indexExclusion(index) == null) {
        closed.add(index);
      }
    }
    java.util.Collections.sort(closed);
    return closed;
  }

  /** Every open index of the cluster, sorted. */
  public static java.util.SortedSet<String> existingIndices(ClusterClient client) {
    return new java.util.TreeSet<>(primaryShards(client).keySet());
  }

  /** Every index of the cluster (closed ones left out: they cannot be read) with its number of primary shards. */
  static TreeMap<String, Integer> primaryShards(ClusterClient client) {
    JsonNode rows = client.getJson("/_cat/indices?format=json&h=index,pri,status");
    TreeMap<String, Integer> shards = new TreeMap<>();
    for (JsonNode row : rows) {
      if (!"close".equals(row.path("status").asText())) {
        shards.put(row.path("index").asText(), Math.max(1, row.path("pri").asInt(1)));
      }
    }
    return shards;
  }

  /** One slice of one index's scroll; {@code max == 1} means the whole index in one scroll. */
  public static final class Slice implements Serializable {
    private static final long serialVersionUID = 1L;
    final String index;
    final int id;
    final int max;
    final boolean withTypes;

    Slice(String index, int id, int max, boolean withTypes) {
      this.index = index;
      this.id = id;
      this.max = max;
      this.withTypes = withTypes;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Slice s && index.equals(s.index) && id == s.id && max == s.max && withTypes == s.withTypes;
    }

    @Override
    public int hashCode() {
      return Objects.hash(index, id, max, withTypes);
    }

    @Override
    public String toString() {
      return index + " slice " + (id + 1) + "/" + max;
    }
  }

  static final class ListSlicesFn extends DoFn<Integer, Slice> {
    private static final long serialVersionUID = 1L;
    private final ClusterEndpoint cluster;
    private final Selection selection;
    private final int slicesPerIndex;

    ListSlicesFn(ClusterEndpoint cluster, Selection selection, int slicesPerIndex) {
      this.cluster = cluster;
      this.selection = selection;
      this.slicesPerIndex = slicesPerIndex;
    }

    @ProcessElement
    public void process(OutputReceiver<Slice> out) {
      ClusterClient client = ClusterClient.connect(cluster);
      ClusterVersion version = ClusterVersion.detect(client);
      boolean withTypes = hasTypes(version);
      TreeMap<String, Integer> shards = primaryShards(client);
      for (String index : selection.indices(shards.keySet(), "cluster " + cluster.url())) {
        int max = slicesPerIndex > 0 ? slicesPerIndex : shards.get(index);
        for (int id = 0; id < max; id++) {
          out.output(new Slice(index, id, max, withTypes));
        }
      }
    }
  }

  /** Reads one slice with a scroll, page by page, and clears the scroll at the end. */
  static final class ReadSliceFn extends DoFn<Slice, SourceDocument> {
    private static final long serialVersionUID = 1L;
    private final ClusterEndpoint cluster;
    private final int pageSize;
    private final Duration keepAlive;
    private transient ClusterClient client;
    private transient IndexCounters counters;

    ReadSliceFn(ClusterEndpoint cluster, int pageSize, Duration keepAlive) {
      this.cluster = cluster;
      this.pageSize = pageSize;
      this.keepAlive = keepAlive;
    }

    @Setup
    public void setup() {
      client = ClusterClient.connect(cluster);
      counters = new IndexCounters(METRICS_NAMESPACE);
    }

    @ProcessElement
    public void process(@Element Slice slice, OutputReceiver<SourceDocument> out) {
      String keep = keepAlive.toSeconds() + "s";
      ObjectNode query = Json.object().put("size", pageSize);
      query.putArray("sort").add("_doc");
      if (slice.max > 1) {
        query.putObject("slice").put("id", slice.id).put("max", slice.max);
      }
      String first = "/" + ClusterClient.segment(slice.index) + "/_search?scroll=" + keep;
      ClusterResponse page = unlessRejected(() -> client.postJson(first, query));
      String scrollId = null;
      try {
        while (true) {
          if (!page.isSuccess()) {
            throw new UserError("could not read " + slice + " from " + cluster.url() + ": " + page.errorReason());
          }
          SearchPage read = SearchPage.parse(page.body(), slice.index, slice.withTypes);
          scrollId = read.scrollId();
          if (read.documents().isEmpty()) {
            return;
          }
          for (SourceDocument document : read.documents()) {
            out.output(document);
          }
          counters.inc(slice.index, READ, read.documents().size());
          ObjectNode next = Json.object().put("scroll", keep).put("scroll_id", scrollId);
          page = unlessRejected(() -> client.postJson("/_search/scroll", next));
        }
      } finally {
        if (scrollId != null) {
          ObjectNode clear = Json.object();
          clear.putArray("scroll_id").add(scrollId);
          client.send("DELETE", "/_search/scroll", Json.toBytes(clear), ClusterClient.JSON, Duration.ofSeconds(30));
        }
      }
    }
  }

  /**
   * Sends a request again while the cluster rejects it for load (429: nothing was done, so a scroll page is not lost),
   * waiting with backoff up to {@link #REJECTED_TIMEOUT}. Other failures stop the slice with an error: retrying a
   * scroll page the cluster may have served could skip documents.
   */
  static ClusterResponse unlessRejected(java.util.function.Supplier<ClusterResponse> request) {
    Backoff backoff = Backoff.waitingUpTo(REJECTED_TIMEOUT);
    long start = System.nanoTime();
    for (int retry = 0; ; retry++) {
      ClusterResponse answer = request.get();
      if (answer.status() != 429 || Duration.ofNanos(System.nanoTime() - start).compareTo(REJECTED_TIMEOUT) > 0) {
        return answer;
      }
      try {
        Thread.sleep(backoff.delayMillis(retry + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return answer;
      }
    }
  }

  /** Elasticsearch 5 and 6 still return a type per hit; 5's multi-type indices need it to tell documents apart. */
  public static boolean hasTypes(ClusterVersion version) {
    return version.isElasticsearch() && version.major() <= 6;
  }

  /**
   * Fetches documents of one index by id, whatever their routing or type (an {@code ids} query), as they are now:
   * what a second look at documents seen earlier needs. Ids not found are simply absent from the answer.
   */
  public static List<SourceDocument> fetch(ClusterClient client, String index, List<String> ids, boolean withTypes) {
    List<SourceDocument> found = new java.util.ArrayList<>();
    for (int from = 0; from < ids.size(); from += 1_000) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1_000));
      ObjectNode query = Json.object().put("size", chunk.size() * 2);
      com.fasterxml.jackson.databind.node.ArrayNode values = query.putObject("query").putObject("ids").putArray("values");
      chunk.forEach(values::add);
      ClusterResponse answer = unlessRejected(() -> client.postJson("/" + ClusterClient.segment(index) + "/_search", query));
      if (answer.status() == 404) {
        return found; // the index is gone: none of them is there
      }
      if (!answer.isSuccess()) {
        throw new UserError("could not fetch documents of '" + index + "' from " + client.endpoint().url() + ": "
            + answer.errorReason());
      }
      found.addAll(SearchPage.parse(answer.body(), index, withTypes).documents());
    }
    return found;
  }
}
