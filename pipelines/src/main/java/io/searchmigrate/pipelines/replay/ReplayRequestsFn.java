package io.searchmigrate.pipelines.replay;

import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.http.ClusterUnreachableException;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.opensearch.Backoff;
import io.searchmigrate.transforms.http.HttpRequestMessage;
import io.searchmigrate.transforms.http.RequestRewriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Per connection (the key), takes capture records in sequence order through {@link ConnectionReassembly} kept in
 * keyed state, and sends each completed request to the target in its captured order, one after another (a key is
 * processed by one thread at a time, so order holds; connections run concurrently). Each replayed request gives a
 * tuple line; a request that cannot be replayed goes to the dead letters with the reason. A connection quiet for
 * the expiry time is given up on (missing records count as lost) and its state cleared.
 *
 * <pre>{@code
 * records.apply(ParDo.of(new ReplayRequestsFn(target, rewriter, 0, Duration.ofMinutes(5)))
 *     .withOutputTags(ReplayRequestsFn.TUPLES, TupleTagList.of(ReplayRequestsFn.DEAD_LETTERS)));
 * }</pre>
 */
final class ReplayRequestsFn extends DoFn<KV<String, TopicRecord>, String> {
  static final TupleTag<String> TUPLES = new TupleTag<>("tuples") {};
  static final TupleTag<String> DEAD_LETTERS = new TupleTag<>("deadLetters") {};
  /** Topic positions read ({@code false}) and done with ({@code true}), by partition: what offsets may be committed. */
  static final TupleTag<KV<Integer, KV<Long, Boolean>>> POSITIONS = new TupleTag<>("positions") {};
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_HELD_RECORDS = 256;
  /** Long enough for records reordered on their way through the runner, short against a connection's life. */
  static final Duration JOIN_WAIT = Duration.ofSeconds(2);

  private final ClusterEndpoint target;
  private final RequestRewriter rewriter;
  private final double speedup;
  private final Duration expiry;
  private final Backoff backoff;
  private final double noiseSample;

  private final Counter replayed = Metrics.counter(ReplayRequestsFn.class, "replayed");
  private final Counter mismatches = Metrics.counter(ReplayRequestsFn.class, "mismatches");
  private final Counter incomplete = Metrics.counter(ReplayRequestsFn.class, "incomplete");
  private final Counter deadLettered = Metrics.counter(ReplayRequestsFn.class, "dead_lettered");
  private final Counter retriedBulkItems = Metrics.counter(ReplayRequestsFn.class, "bulk_item_retries");
  private final Counter repeated = Metrics.counter(ReplayRequestsFn.class, "noise_samples");

  @StateId("connection")
  private final StateSpec<ValueState<ConnectionReassembly>> connectionSpec =
      StateSpecs.value(SerializableCoder.of(ConnectionReassembly.class));

  /** The topic partition the connection's records come from (the proxy keys records by connection). */
  @StateId("partition")
  private final StateSpec<ValueState<Integer>> partitionSpec = StateSpecs.value(VarIntCoder.of());

  /** Captured start of the last request sent and the wall time it was sent, for keeping captured gaps. */
  @StateId("pace")
  private final StateSpec<ValueState<long[]>> paceSpec = StateSpecs.value(SerializableCoder.of(long[].class));

  @TimerId("expiry")
  private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  /**
   * When the connection last had a record (millis), while its expiry timer is set. The timer is set once and moved
   * on when it fires, not on every record: resetting a timer per record costs the runner more than the replay.
   */
  @StateId("lastSeen")
  private final StateSpec<ValueState<Long>> lastSeenSpec = StateSpecs.value(VarLongCoder.of());

  /** A connection first seen without its beginning waits this long for earlier records before joining midway. */
  @TimerId("join")
  private final TimerSpec joinSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  private transient ClusterClient client;

  /**
   * @param speedup captured gaps are divided by it; 0 sends as fast as order allows
   * @param noiseSample the share (0 to 1) of read-only requests sent to the target a second time, both answers kept
   */
  ReplayRequestsFn(ClusterEndpoint target, RequestRewriter rewriter, double speedup, Duration expiry, Backoff backoff,
      double noiseSample) {
    this.target = target;
    this.rewriter = rewriter;
    this.speedup = speedup;
    this.expiry = expiry;
    this.backoff = backoff;
    this.noiseSample = noiseSample;
  }

  @Setup
  public void setup() {
    client = ClusterClient.connect(target);
  }

  @ProcessElement
  public void process(@Element KV<String, TopicRecord> element, @StateId("connection") ValueState<ConnectionReassembly> state,
      @StateId("partition") ValueState<Integer> partitionState, @StateId("pace") ValueState<long[]> pace,
      @StateId("lastSeen") ValueState<Long> lastSeen, @TimerId("expiry") Timer expiryTimer,
      @TimerId("join") Timer joinTimer, MultiOutputReceiver out) throws InterruptedException {
    TopicRecord at = element.getValue();
    CaptureRecord record = CaptureRecord.decode(at.value()); // decoded once before, so valid here
    ConnectionReassembly connection = state.read();
    Integer partition = partitionState.read();
    boolean firstSeen = connection == null;
    if (firstSeen) {
      connection = new ConnectionReassembly(MAX_HELD_RECORDS);
    }
    if (partition == null) {
      partition = at.partition();
      partitionState.write(partition);
    }
    boolean samePartition = partition == at.partition();
    List<CapturedRequest> done = connection.add(record, samePartition ? at.offset() : -1);
    replay(done, pace, out);
    release(partition, connection.releasedOffsets(), out);
    if (firstSeen && connection.waitsForItsBeginning()) { // set once: later records must not push it back
      joinTimer.offset(org.joda.time.Duration.millis(JOIN_WAIT.toMillis())).setRelative();
    }
    if (!samePartition) {
      // records of one connection on two partitions (not how the proxy writes): done with once handed over
      release(at.partition(), List.of(at.offset()), out);
    }
    if (connection.finished()) {
      state.clear();
      partitionState.clear();
      pace.clear();
      if (lastSeen.read() != null) {
        expiryTimer.clear();
        lastSeen.clear();
      }
    } else {
      state.write(connection);
      if (lastSeen.read() == null) {
        expiryTimer.offset(org.joda.time.Duration.millis(expiry.toMillis())).setRelative();
      }
      lastSeen.write(System.currentTimeMillis());
    }
  }

  @OnTimer("expiry")
  public void expire(@StateId("connection") ValueState<ConnectionReassembly> state,
      @StateId("partition") ValueState<Integer> partitionState, @StateId("pace") ValueState<long[]> pace,
      @StateId("lastSeen") ValueState<Long> lastSeen, @TimerId("expiry") Timer expiryTimer, MultiOutputReceiver out)
      throws InterruptedException {
    Long seen = lastSeen.read();
    long quietFor = seen == null ? Long.MAX_VALUE : System.currentTimeMillis() - seen;
    if (quietFor < expiry.toMillis()) {
      expiryTimer.offset(org.joda.time.Duration.millis(expiry.toMillis() - quietFor)).setRelative(); // it was active
      return;
    }
    lastSeen.clear();
    ConnectionReassembly connection = state.read();
    if (connection != null) {
      replay(connection.giveUpWaiting(), pace, out);
      release(partitionState.read(), connection.releasedOffsets(), out);
    }
    state.clear();
    partitionState.clear();
    pace.clear();
  }

  /** Records before the first one seen did not come: the connection began before this replay did. */
  @OnTimer("join")
  public void join(@StateId("connection") ValueState<ConnectionReassembly> state,
      @StateId("partition") ValueState<Integer> partitionState, @StateId("pace") ValueState<long[]> pace,
      @StateId("lastSeen") ValueState<Long> lastSeen, @TimerId("expiry") Timer expiryTimer, MultiOutputReceiver out)
      throws InterruptedException {
    ConnectionReassembly connection = state.read();
    if (connection == null || !connection.waitsForItsBeginning()) {
      return;
    }
    replay(connection.joinMidway(), pace, out);
    release(partitionState.read(), connection.releasedOffsets(), out);
    if (connection.finished()) {
      state.clear();
      partitionState.clear();
      pace.clear();
      lastSeen.clear();
      expiryTimer.clear();
    } else {
      state.write(connection);
    }
  }

  private static void release(Integer partition, List<Long> offsets, MultiOutputReceiver out) {
    for (long offset : offsets) {
      out.get(POSITIONS).output(KV.of(partition, KV.of(offset, true)));
    }
  }

  private void replay(List<CapturedRequest> requests, ValueState<long[]> pace, MultiOutputReceiver out)
      throws InterruptedException {
    for (CapturedRequest captured : requests) {
      if (!captured.complete()) {
        incomplete.inc(); // cut by a lost record: skipped and counted, never guessed
        continue;
      }
      keepCapturedGap(captured, pace);
      HttpRequestMessage source;
      RequestRewriter.Result rewritten;
      try {
        source = HttpRequestMessage.parse(captured.request());
        rewritten = rewriter.rewrite(source);
      } catch (RuntimeException e) {
        deadLetter(captured, "cannot rewrite: " + e.getMessage(), out);
        continue;
      }
      List<Integer> statuses = new ArrayList<>();
      List<byte[]> bodies = new ArrayList<>();
      List<Long> millis = new ArrayList<>();
      for (HttpRequestMessage request : rewritten.requests()) {
        long start = System.nanoTime();
        ClusterResponse response;
        try {
          response = send(request, captured.status());
        } catch (ClusterUnreachableException e) {
          deadLetter(captured, e.getMessage(), out);
          response = null;
        }
        statuses.add(response == null ? 0 : response.status());
        bodies.add(response == null ? new byte[0] : response.body());
        millis.add((System.nanoTime() - start) / 1_000_000);
      }
      ClusterResponse repeat = null;
      long repeatMillis = 0;
      if (rewritten.requests().size() == 1 && statuses.get(0) != 0 && sampledForNoise(captured, rewritten.requests().get(0))) {
        long start = System.nanoTime();
        try {
          repeat = send(rewritten.requests().get(0), captured.status());
          repeatMillis = (System.nanoTime() - start) / 1_000_000;
          repeated.inc();
        } catch (ClusterUnreachableException e) {
          repeat = null; // the first answer stands; a lost second look only means less noise learned
        }
      }
      String tuple = ReplayTuple.of(captured, source, rewritten.requests(), statuses, bodies, millis,
          rewritten.applied(), repeat, repeatMillis);
      replayed.inc();
      if (!ReplayTuple.statusesMatch(captured.status(), statuses)) {
        mismatches.inc();
      }
      out.get(TUPLES).output(tuple);
    }
  }

  /**
   * Retries 429 and 5xx while the source had accepted the request (it answered below 300); never 2xx or 4xx. A
   * {@code _bulk} the target answered with items it could not take for now sends just those items again.
   */
  private ClusterResponse send(HttpRequestMessage request, int sourceStatus) throws InterruptedException {
    byte[] body = request.body().length == 0 ? null : request.body();
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      ClusterResponse response = client.send(request.method(), request.target(), body, request.header("content-type"),
          REQUEST_TIMEOUT);
      boolean retryable = response.status() == 429 || response.status() >= 500;
      if (!retryable && response.status() == 200 && sourceStatus < 300 && body != null && isBulk(request)) {
        return retryBulkItems(request, body, response, started);
      }
      if (!retryable || sourceStatus >= 300 || !backoff.keepsWaiting((System.nanoTime() - started) / 1_000_000)) {
        return response;
      }
      Thread.sleep(backoff.delayMillis(attempt));
    }
  }

  private ClusterResponse retryBulkItems(HttpRequestMessage request, byte[] body, ClusterResponse response, long started)
      throws InterruptedException {
    BulkItemRetry bulk = BulkItemRetry.of(body, response.body());
    if (bulk == null || !bulk.hasRetryableItems()) {
      return response;
    }
    for (int attempt = 1; bulk.hasRetryableItems() && backoff.keepsWaiting((System.nanoTime() - started) / 1_000_000);
        attempt++) {
      Thread.sleep(backoff.delayMillis(attempt));
      retriedBulkItems.inc();
      ClusterResponse again = client.send(request.method(), request.target(), bulk.retryBody(),
          request.header("content-type"), REQUEST_TIMEOUT);
      if (again.status() == 200) {
        bulk = bulk.merge(again.body());
      }
    }
    return new ClusterResponse(request.method(), request.target(), 200, bulk.answer());
  }

  /**
   * Whether this request is asked a second time (to learn what differs between two answers of the target alone):
   * read-only requests only, chosen by a hash of the connection and the request's index so that the same capture
   * samples the same requests on every replay.
   */
  private boolean sampledForNoise(CapturedRequest captured, HttpRequestMessage request) {
    if (noiseSample <= 0 || !isReadOnly(request)) {
      return false;
    }
    int bucket = Math.floorMod((captured.connection() + "#" + captured.index()).hashCode(), 1_000_000);
    return bucket < noiseSample * 1_000_000;
  }

  /**
   * GET and HEAD, and searches, counts and multi-gets sent with POST; never a scroll (asking twice would move it on)
   * nor anything else a POST might change.
   */
  static boolean isReadOnly(HttpRequestMessage request) {
    String path = request.path();
    if (path.contains("/_search/scroll") || request.target().contains("scroll=")) {
      return false;
    }
    String method = request.method();
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    return method.equals("POST") && (path.endsWith("/_search") || path.endsWith("/_msearch") || path.endsWith("/_count")
        || path.endsWith("/_mget"));
  }

  private static boolean isBulk(HttpRequestMessage request) {
    return request.method().equals("POST") || request.method().equals("PUT")
        ? request.path().equals("/_bulk") || request.path().endsWith("/_bulk") : false;
  }

  private void keepCapturedGap(CapturedRequest captured, ValueState<long[]> pace) throws InterruptedException {
    long[] last = pace.read();
    long now = System.currentTimeMillis();
    if (speedup > 0 && last != null) {
      long gapMillis = (long) ((captured.requestStartMicros() - last[0]) / 1000 / speedup);
      long wait = last[1] + gapMillis - now;
      if (wait > 0) {
        Thread.sleep(wait);
        now += wait;
      }
    }
    pace.write(new long[] {captured.requestStartMicros(), now});
  }

  private void deadLetter(CapturedRequest captured, String reason, MultiOutputReceiver out) {
    deadLettered.inc();
    var node = Json.object();
    node.put("connection", captured.connection());
    node.put("request_index", captured.index());
    node.put("method", captured.method());
    node.put("path", captured.target());
    node.put("reason", reason);
    out.get(DEAD_LETTERS).output(Json.toString(node));
  }
}
