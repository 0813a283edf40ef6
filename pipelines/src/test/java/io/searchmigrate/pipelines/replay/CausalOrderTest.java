package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.transforms.http.HttpRequestMessage;
import io.searchmigrate.transforms.http.RequestScope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request waits for the other connections' requests the source had answered before it began and whose effect it
 * could see, and only for those.
 */
class CausalOrderTest {
  private static final RequestScope CREATE_INDEX = scope("PUT", "/books");
  private static final RequestScope WRITE_ONE = scope("PUT", "/books/_doc/1");
  private static final RequestScope WRITE_TWO = scope("PUT", "/books/_doc/2");

  private static RequestScope scope(String method, String target) {
    return RequestScope.of(HttpRequestMessage.of(method, target, List.of(), "{}".getBytes(StandardCharsets.UTF_8)));
  }

  /** {@link CausalOrder#awaitAnsweredBefore} on another thread: done once it would send. */
  private static CompletableFuture<Void> awaiting(CausalOrder order, String connection, long startMicros,
      RequestScope scope) {
    return CompletableFuture.runAsync(() -> {
      try {
        order.awaitAnsweredBefore(connection, startMicros, scope);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** {@code waiting} is still waiting a while later, and goes on once {@code earlier} is answered. */
  private static void assertHeldUntilAnswered(CompletableFuture<Void> waiting, CompletableFuture<Void> earlier, String why)
      throws Exception {
    Thread.sleep(200);
    assertFalse(waiting.isDone(), why);
    earlier.complete(null);
    waiting.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aRequestBegunAfterAnotherConnectionsAnswerWaitsForItsAnswerOnTheTarget() throws Exception {
    CausalOrder order = CausalOrder.fresh();
    CompletableFuture<Void> indexCreated = new CompletableFuture<>();
    order.handedOver("client-a", 1_000, CREATE_INDEX, indexCreated); // the source answered it at 1,000 us
    CompletableFuture<Void> written = awaiting(order, "client-b", 1_500, WRITE_ONE); // begun at 1,500 us, elsewhere
    assertHeldUntilAnswered(written, indexCreated, "waits while the target has not answered the index creation");
  }

  @Test
  void overlappingRequestsAndTheSameConnectionsDoNotWait() throws Exception {
    CausalOrder order = CausalOrder.fresh();
    order.handedOver("client-a", 2_000, CREATE_INDEX, new CompletableFuture<>()); // never answered in this test
    long started = System.nanoTime();
    order.awaitAnsweredBefore("client-b", 1_999, WRITE_ONE); // began before that answer ended: overlapped on the source
    order.awaitAnsweredBefore("client-b", 2_000, WRITE_ONE);
    order.awaitAnsweredBefore("client-a", 5_000, WRITE_ONE); // its own connection: the chain orders it already
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void aWriteOfAnotherDocumentDoesNotWaitButOneOfTheSameDocumentDoes() throws Exception {
    CausalOrder order = CausalOrder.fresh();
    CompletableFuture<Void> firstWrite = new CompletableFuture<>();
    order.handedOver("client-a", 1_000, WRITE_ONE, firstWrite);
    long started = System.nanoTime();
    order.awaitAnsweredBefore("client-b", 1_500, WRITE_TWO);
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1), "another document: no wait");
    CompletableFuture<Void> rewritten = awaiting(order, "client-b", 1_500, WRITE_ONE);
    assertHeldUntilAnswered(rewritten, firstWrite, "the same document waits: the later write must win on the target too");
  }

  @Test
  void theHeadStartCountsFromTheFirstRequestHandedOver() throws Exception {
    CausalOrder order = CausalOrder.fresh();
    order.handedOver("client-a", 1_000, WRITE_ONE, new CompletableFuture<>());
    long started = System.nanoTime();
    order.awaitHeadStart(300);
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(waited >= 250 && waited < 2_000, "waited " + waited + " ms");
    started = System.nanoTime();
    order.awaitHeadStart(300); // over already
    assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(100));
  }

  @Test
  void anAnsweredOrFailedRequestNoLongerHoldsAnyone() throws Exception {
    CausalOrder order = CausalOrder.fresh();
    CompletableFuture<Void> failed = new CompletableFuture<>();
    order.handedOver("client-a", 1_000, CREATE_INDEX, failed);
    failed.completeExceptionally(new IllegalStateException("target unreachable"));
    long started = System.nanoTime();
    order.awaitAnsweredBefore("client-b", 9_000, WRITE_ONE);
    assertEquals(true, System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1));
  }
}
