package io.searchmigrate.pipelines.replay;

import io.searchmigrate.transforms.http.RequestScope;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the source's clients saw happen before what: a request that began on the source after another connection's
 * request had been answered there, and could see its effect (a client that created an index, then another that writes
 * to it; two writes of one document; a search after a write to its index: {@link RequestScope#follows}), is sent to
 * the target only once the target answered that one too, whatever the speedup and whichever partition was read first.
 * Requests that overlapped on the source still overlap, and so do those that cannot see each other (writes of other
 * documents), so a replay keeps its own concurrency. One per run in a process: its workers share it (a run on several
 * processes orders only the requests each holds).
 *
 * <pre>{@code
 * CausalOrder order = CausalOrder.of(runId);
 * order.handedOver(connection, captured.responseEndMicros(), scope, answered);   // when chained
 * order.awaitAnsweredBefore(connection, captured.requestStartMicros(), scope);  // just before it is sent
 * }</pre>
 */
final class CausalOrder {
  /** Longest a request waits for others: a request that never comes back must not stop the replay. */
  static final long MAX_WAIT_MILLIS = 30_000;
  private static final Map<String, CausalOrder> RUNS = new ConcurrentHashMap<>();

  /** A request handed to its chain and not answered yet, by the capture time the source's answer to it ended. */
  private record Pending(long responseEndMicros, long sequence, String connection, RequestScope scope,
      CompletableFuture<Void> answered) {}

  private final AtomicLong sequence = new AtomicLong();
  /** When the first request was handed over (wall millis), 0 before. */
  private final AtomicLong firstHandedOver = new AtomicLong();
  private final ConcurrentSkipListSet<Pending> pending = new ConcurrentSkipListSet<>(
      Comparator.comparingLong(Pending::responseEndMicros).thenComparingLong(Pending::sequence));

  static CausalOrder of(String run) {
    return RUNS.computeIfAbsent(run, ignored -> new CausalOrder());
  }

  /** One of its own, for tests. */
  static CausalOrder fresh() {
    return new CausalOrder();
  }

  /** A request is in its connection's chain; it leaves when {@code answered} completes (answered, skipped or failed). */
  void handedOver(String connection, long responseEndMicros, RequestScope scope, CompletableFuture<Void> answered) {
    firstHandedOver.compareAndSet(0, System.currentTimeMillis());
    Pending p = new Pending(responseEndMicros, sequence.incrementAndGet(), connection, scope, answered);
    pending.add(p);
    answered.whenComplete((ok, failure) -> pending.remove(p));
  }

  /**
   * As fast as order allows on a backlog: waits until {@code headStartMillis} after the first request was handed over,
   * so the reader has met every partition's first requests (and they are known here) before any is sent.
   */
  void awaitHeadStart(long headStartMillis) throws InterruptedException {
    long wait = firstHandedOver.get() + headStartMillis - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  /**
   * Waits until every request of another connection whose source answer ended before {@code requestStartMicros}, and
   * whose effect a request of {@code scope} could see, was answered by the target (those of the same connection are
   * before it in its chain); at most {@link #MAX_WAIT_MILLIS}.
   */
  void awaitAnsweredBefore(String connection, long requestStartMicros, RequestScope scope) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
    for (Pending p : pending.headSet(new Pending(requestStartMicros, Long.MIN_VALUE, "", null, null))) {
      if (p.connection().equals(connection) || !scope.follows(p.scope())) {
        continue;
      }
      try {
        p.answered().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException failedThere) {
        // answered, badly: its own tuple or dead letter says so
      } catch (TimeoutException tooLong) {
        return;
      }
    }
  }
}
