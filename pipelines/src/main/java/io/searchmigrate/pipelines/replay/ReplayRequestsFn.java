package io.searchmigrate.pipelines.replay;

import io.searchmigrate.capture.CaptureRecord;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.http.ClusterUnreachableException;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.opensearch.Backoff;
import io.searchmigrate.transforms.http.AsOnTheSource;
import io.searchmigrate.transforms.http.HttpRequestMessage;
import io.searchmigrate.transforms.http.RequestRewriter;
import io.searchmigrate.transforms.http.RequestScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Per connection (the key), takes capture records in sequence order through {@link ConnectionReassembly} kept in
 * keyed state, and sends each completed request to the target in its captured order, one after another (a key is
 * processed by one thread at a time, so order holds; connections run concurrently). Each replayed request gives a
 * tuple line; a request that cannot be replayed goes to the dead letters with the reason. A connection quiet for
 * the expiry time is given up on (missing records count as lost) and its state cleared.
 *
 * <p>The requests are sent by a pool of sender threads, at most {@value #MAX_IN_FLIGHT} in flight (or waiting out
 * their captured gap) at once per worker across its connections (one connection's requests still one after another,
 * chained):
 * a bundle overlaps many connections' requests instead of waiting for each answer in turn (the runner gives one
 * worker thread many connections: Flink's default parallelism is the machine's cores). The bundle ends only once all
 * its requests were answered; their tuples, dead letters and done topic positions are given then, so an offset is
 * still committed only after its requests were answered. With captured timing (a speedup factor) a request is handed
 * to its connection's chain shortly before it is due and waits out the rest there, so one connection's wait never holds
 * the others for long, and a bundle never runs far ahead of the captured clock. Due times come from one captured clock
 * per run ({@link CapturedClock}), not from gaps after each connection's previous request: a request reached late is
 * sent at once and does not push back the ones after it. At any speedup, a request waits for the target's answers to
 * the requests of other connections the source had answered before it began ({@link CausalOrder}).
 *
 * <pre>{@code
 * records.apply(ParDo.of(new ReplayRequestsFn(target, rewriter, 0, 0, Duration.ofMinutes(5), backoff, 0))
 *     .withOutputTags(ReplayRequestsFn.TUPLES, TupleTagList.of(ReplayRequestsFn.DEAD_LETTERS)));
 * }</pre>
 */
final class ReplayRequestsFn extends DoFn<KV<String, TopicRecord>, String> {
  static final TupleTag<String> TUPLES = new TupleTag<>("tuples") {};
  static final TupleTag<String> DEAD_LETTERS = new TupleTag<>("deadLetters") {};
  /** Topic positions read and done with, by partition: what offsets may be committed. */
  static final TupleTag<KV<Integer, TopicPositions>> POSITIONS = new TupleTag<>("positions") {};
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_HELD_RECORDS = 256;
  /** Requests in flight at once per worker at --speedup max (its connections' requests overlap up to this). */
  static final int MAX_IN_FLIGHT = 32;
  private static final CompletableFuture<Void> NOTHING_BEFORE = CompletableFuture.completedFuture(null);
  /** Long enough for records reordered on their way through the runner, short against a connection's life. */
  static final Duration JOIN_WAIT = Duration.ofSeconds(2);
  /**
   * With captured timing, how far ahead of its due time a request is handed to its connection's chain: the reading
   * waits for the rest, so a bundle holds only what is due about now (it ends, and its offsets are committed, as the
   * replay goes) while connections due together still overlap.
   */
  static final Duration HAND_OVER_AHEAD = Duration.ofMillis(200);

  private final ClusterEndpoint target;
  private final RequestRewriter rewriter;
  private final double speedup;
  private final long capturedFromMicros;
  private final Duration expiry;
  private final Backoff backoff;
  private final double noiseSample;
  /** Names this run: its workers in one process share one {@link CapturedClock}. */
  private final String run = UUID.randomUUID().toString();

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
  private transient ExecutorService senders;
  private transient Semaphore inFlight;
  /** With captured timing, when each request is due. */
  private transient CapturedClock clock;
  /** What the source answered before what, across this run's connections in this process. */
  private transient CausalOrder order;
  /**
   * This bundle's sending: per connection, when its last request handed over was answered (its next one is chained
   * after that, not after the tuple is written, which the target need not wait for).
   */
  private transient Map<String, CompletableFuture<Void>> answered;
  /** This bundle's requests, each until its tuple was written: the bundle ends once all are. */
  private transient List<CompletableFuture<Void>> replaying;
  /** What this bundle's requests gave (outputs and counts), handed to the runner by its thread when the bundle ends. */
  private transient Results bundle;

  /**
   * @param speedup captured gaps are divided by it; 0 sends as fast as order allows
   * @param capturedFromMicros the earliest capture time of the backlog the run starts with (0: none): with a speedup
   *     the clock starts there, at max the first requests wait for a head start
   * @param noiseSample the share (0 to 1) of read-only requests sent to the target a second time, both answers kept
   */
  ReplayRequestsFn(ClusterEndpoint target, RequestRewriter rewriter, double speedup, long capturedFromMicros, Duration expiry,
      Backoff backoff, double noiseSample) {
    this.target = target;
    this.rewriter = rewriter;
    this.speedup = speedup;
    this.capturedFromMicros = capturedFromMicros;
    this.expiry = expiry;
    this.backoff = backoff;
    this.noiseSample = noiseSample;
  }

  @Setup
  public void setup() {
    client = ClusterClient.connect(target);
    senders = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "replay-sender");
      thread.setDaemon(true);
      return thread;
    });
    inFlight = new Semaphore(MAX_IN_FLIGHT);
    clock = speedup > 0 ? CapturedClock.of(run, speedup, capturedFromMicros) : null;
    order = CausalOrder.of(run);
  }

  @StartBundle
  public void startBundle() {
    answered = new HashMap<>();
    replaying = new ArrayList<>();
    bundle = new Results();
  }

  /** Waits for every request this bundle sent, then gives what they produced (done positions last). */
  @FinishBundle
  public void finishBundle(FinishBundleContext context) throws InterruptedException {
    try {
      CompletableFuture.allOf(replaying.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    Results done = bundle;
    bundle = new Results();
    answered.clear();
    replaying.clear();
    done.count(this);
    for (Output<?> output : done.outputs) {
      output.giveTo(context);
    }
    Instant at = done.positionsTime;
    done.positions.drain((partition, offsets) ->
        context.output(POSITIONS, KV.of(partition, TopicPositions.done(offsets)), at, GlobalWindow.INSTANCE));
  }

  @Teardown
  public void teardown() {
    if (senders != null) {
      senders.shutdownNow();
    }
  }

  @ProcessElement
  public void process(@Element KV<String, TopicRecord> element, @Timestamp Instant timestamp,
      @StateId("connection") ValueState<ConnectionReassembly> state,
      @StateId("partition") ValueState<Integer> partitionState,
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
    replay(element.getKey(), done, timestamp, out);
    release(partition, connection.releasedOffsets(), timestamp);
    if (firstSeen && connection.waitsForItsBeginning()) { // set once: later records must not push it back
      joinTimer.offset(org.joda.time.Duration.millis(JOIN_WAIT.toMillis())).setRelative();
    }
    if (!samePartition) {
      // records of one connection on two partitions (not how the proxy writes): done with once handed over
      release(at.partition(), List.of(at.offset()), timestamp);
    }
    boolean expiryArmed = lastSeen.read() != null;
    if (connection.finished()) {
      state.clear();
      partitionState.clear();
      if (expiryArmed) {
        expiryTimer.clear();
        lastSeen.clear();
      }
    } else {
      state.write(connection);
      if (!expiryArmed) {
        expiryTimer.offset(org.joda.time.Duration.millis(expiry.toMillis())).setRelative();
      }
      lastSeen.write(System.currentTimeMillis());
    }
  }

  @OnTimer("expiry")
  public void expire(@Key String key, @Timestamp Instant timestamp,
      @StateId("connection") ValueState<ConnectionReassembly> state,
      @StateId("partition") ValueState<Integer> partitionState,
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
      replay(key, connection.giveUpWaiting(), timestamp, out);
      release(partitionState.read(), connection.releasedOffsets(), timestamp);
    }
    state.clear();
    partitionState.clear();
  }

  /** Records before the first one seen did not come: the connection began before this replay did. */
  @OnTimer("join")
  public void join(@Key String key, @Timestamp Instant timestamp,
      @StateId("connection") ValueState<ConnectionReassembly> state,
      @StateId("partition") ValueState<Integer> partitionState,
      @StateId("lastSeen") ValueState<Long> lastSeen, @TimerId("expiry") Timer expiryTimer, MultiOutputReceiver out)
      throws InterruptedException {
    ConnectionReassembly connection = state.read();
    if (connection == null || !connection.waitsForItsBeginning()) {
      return;
    }
    replay(key, connection.joinMidway(), timestamp, out);
    release(partitionState.read(), connection.releasedOffsets(), timestamp);
    if (connection.finished()) {
      state.clear();
      partitionState.clear();
      lastSeen.clear();
      expiryTimer.clear();
    } else {
      state.write(connection);
    }
  }

  /** Topic positions done with: given with the bundle's end, after the requests sent before them were answered. */
  private void release(Integer partition, List<Long> offsets, Instant timestamp) {
    for (long offset : offsets) {
      bundle.positions.add(partition, offset);
    }
    if (!offsets.isEmpty() && (bundle.positionsTime == null || timestamp.isBefore(bundle.positionsTime))) {
      bundle.positionsTime = timestamp;
    }
  }

  /**
   * Replays one connection's requests in their order, chained after the ones of the same connection still in flight,
   * each taking a place in the in-flight window; with captured timing each waits out its gap in the chain.
   */
  private void replay(String connection, List<CapturedRequest> requests, Instant timestamp,
      MultiOutputReceiver out) throws InterruptedException {
    for (CapturedRequest captured : requests) {
      long due = speedup > 0 ? clock.dueMillis(captured.requestStartMicros(), System.currentTimeMillis()) : 0;
      long early = due - HAND_OVER_AHEAD.toMillis() - System.currentTimeMillis();
      if (early > 0 && !clock.inHeadStart(System.currentTimeMillis())) { // in it, the reader goes on to other partitions
        // the reading keeps the captured clock (records come in about their captured order); had the whole capture
        // been chained at once, the first bundle would end only after all of it was sent
        Thread.sleep(early);
      }
      inFlight.acquire(); // a full window holds the runner's thread: backpressure on the reading
      CompletableFuture<Void> before = answered.getOrDefault(connection, NOTHING_BEFORE);
      CompletableFuture<Void> answer = new CompletableFuture<>();
      Parsed parsed = captured.complete() ? Parsed.of(captured) : null;
      if (parsed != null && parsed.scope() != null) {
        order.handedOver(connection, captured.responseEndMicros(), parsed.scope(), answer);
      }
      Results results = bundle;
      replaying.add(before.handleAsync((ignored, failure) -> {
        try {
          if (failure != null) {
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
          }
          long wait = due - System.currentTimeMillis();
          if (wait > 0) {
            Thread.sleep(wait); // the rest of its captured time, in this connection's own chain: others go on
          }
          if (clock == null && capturedFromMicros > 0) {
            order.awaitHeadStart(CapturedClock.BACKLOG_HEAD_START_MILLIS); // the captured clock's head start, at max
          }
          if (parsed != null && parsed.scope() != null) {
            // what other connections had answered on the source before this one began, and it could see, the target
            // answers first too
            order.awaitAnsweredBefore(connection, captured.requestStartMicros(), parsed.scope());
          }
          replay(captured, parsed, results, timestamp, answer);
          answer.complete(null); // when it was not sent (incomplete, dead-lettered)
          return null;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          answer.completeExceptionally(e);
          throw new CompletionException(e);
        } catch (Throwable e) {
          answer.completeExceptionally(e); // the connection's later requests are not sent after a failed one
          throw e instanceof CompletionException c ? c : new CompletionException(e);
        } finally {
          inFlight.release();
        }
      }, senders));
      answered.put(connection, answer);
    }
  }

  /**
   * A complete captured request parsed, made what it was on the source ({@link AsOnTheSource}), and what it reads or
   * writes; or why it could not be ({@code failure}). Done as it is handed over: the order between connections needs
   * the scope before the request is sent.
   */
  private record Parsed(HttpRequestMessage source, HttpRequestMessage asOnSource, RequestScope scope,
      RuntimeException failure) {
    static Parsed of(CapturedRequest captured) {
      try {
        HttpRequestMessage source = HttpRequestMessage.parse(captured.request());
        HttpRequestMessage asOnSource = AsOnTheSource.apply(source, captured.status(), captured.response());
        return new Parsed(source, asOnSource, RequestScope.of(asOnSource), null);
      } catch (RuntimeException e) {
        return new Parsed(null, null, null, e);
      }
    }
  }

  /** Sends one request, says through {@code answered} once the target answered, then writes its tuple. */
  private void replay(CapturedRequest captured, Parsed parsed, Results results, Instant timestamp,
      CompletableFuture<Void> answered) throws InterruptedException {
    if (parsed == null) {
      results.incomplete.incrementAndGet(); // cut by a lost record: skipped and counted, never guessed
      return;
    }
    HttpRequestMessage source = parsed.source();
    RequestRewriter.Result rewritten;
    try {
      if (parsed.failure() != null) {
        throw parsed.failure();
      }
      rewritten = parsed.asOnSource() == source ? rewriter.rewrite(source)
          : rewriter.rewrite(parsed.asOnSource()).after(AsOnTheSource.NAME);
    } catch (RuntimeException e) {
      deadLetter(captured, "cannot rewrite: " + e.getMessage(), results, timestamp);
      return;
    }
    List<Integer> statuses = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    List<Long> millis = new ArrayList<>();
    for (HttpRequestMessage request : rewritten.requests()) {
      long start = System.nanoTime();
      ClusterResponse response;
      try {
        response = send(request, captured.status(), results);
      } catch (ClusterUnreachableException e) {
        deadLetter(captured, e.getMessage(), results, timestamp);
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
        repeat = send(rewritten.requests().get(0), captured.status(), results);
        repeatMillis = (System.nanoTime() - start) / 1_000_000;
        results.repeated.incrementAndGet();
      } catch (ClusterUnreachableException e) {
        repeat = null; // the first answer stands; a lost second look only means less noise learned
      }
    }
    answered.complete(null); // the connection's next request may go while this one's tuple is written
    String tuple = ReplayTuple.of(captured, source, rewritten.requests(), statuses, bodies, millis,
        rewritten.applied(), repeat, repeatMillis);
    results.replayed.incrementAndGet();
    if (!ReplayTuple.statusesMatch(captured.status(), statuses)) {
      results.mismatches.incrementAndGet();
    }
    results.outputs.add(new Output<>(TUPLES, tuple, timestamp));
  }

  /**
   * Retries 429 and 5xx while the source had accepted the request (it answered below 300); never 2xx or 4xx. A
   * {@code _bulk} the target answered with items it could not take for now sends just those items again.
   */
  private ClusterResponse send(HttpRequestMessage request, int sourceStatus, Results results)
      throws InterruptedException {
    byte[] body = request.body().length == 0 ? null : request.body();
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      ClusterResponse response = client.send(request.method(), request.target(), body, request.header("content-type"),
          REQUEST_TIMEOUT);
      boolean retryable = response.status() == 429 || response.status() >= 500;
      if (!retryable && response.status() == 200 && sourceStatus < 300 && body != null && isBulk(request)) {
        return retryBulkItems(request, body, response, started, results);
      }
      if (!retryable || sourceStatus >= 300 || !backoff.keepsWaiting((System.nanoTime() - started) / 1_000_000)) {
        return response;
      }
      Thread.sleep(backoff.delayMillis(attempt));
    }
  }

  private ClusterResponse retryBulkItems(HttpRequestMessage request, byte[] body, ClusterResponse response, long started,
      Results results) throws InterruptedException {
    BulkItemRetry bulk = BulkItemRetry.of(body, response.body());
    if (bulk == null || !bulk.hasRetryableItems()) {
      return response;
    }
    for (int attempt = 1; bulk.hasRetryableItems() && backoff.keepsWaiting((System.nanoTime() - started) / 1_000_000);
        attempt++) {
      Thread.sleep(backoff.delayMillis(attempt));
      results.retriedBulkItems.incrementAndGet();
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

  private static void deadLetter(CapturedRequest captured, String reason, Results results, Instant timestamp) {
    results.deadLettered.incrementAndGet();
    var node = Json.object();
    node.put("connection", captured.connection());
    node.put("request_index", captured.index());
    node.put("method", captured.method());
    node.put("path", captured.target());
    node.put("reason", reason);
    results.outputs.add(new Output<>(DEAD_LETTERS, Json.toString(node), timestamp));
  }

  /**
   * What replayed requests gave, gathered by the threads that sent them: Beam's counters and outputs belong to the
   * runner's thread, which hands them over ({@link #count}, {@link Output#giveTo}).
   */
  private static final class Results {
    final ConcurrentLinkedQueue<Output<?>> outputs = new ConcurrentLinkedQueue<>();
    /** Done topic positions (read and written by the runner's thread only), given after every output of the bundle. */
    final TopicPositions.Gathered positions = new TopicPositions.Gathered();
    /** The earliest timestamp of the records whose positions are gathered. */
    Instant positionsTime;
    final AtomicLong replayed = new AtomicLong();
    final AtomicLong mismatches = new AtomicLong();
    final AtomicLong incomplete = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong retriedBulkItems = new AtomicLong();
    final AtomicLong repeated = new AtomicLong();

    void count(ReplayRequestsFn fn) {
      fn.replayed.inc(replayed.getAndSet(0));
      fn.mismatches.inc(mismatches.getAndSet(0));
      fn.incomplete.inc(incomplete.getAndSet(0));
      fn.deadLettered.inc(deadLettered.getAndSet(0));
      fn.retriedBulkItems.inc(retriedBulkItems.getAndSet(0));
      fn.repeated.inc(repeated.getAndSet(0));
    }
  }

  /** One output for the runner's thread to give. */
  private record Output<T>(TupleTag<T> tag, T value, Instant timestamp) {
    void giveTo(FinishBundleContext context) {
      context.output(tag, value, timestamp, GlobalWindow.INSTANCE);
    }
  }
}
