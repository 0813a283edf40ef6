package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A request waits for the other connections' requests the source had answered before it began, and only for those. */
class CausalOrderTest {
  @Test
  void aRequestBegunAfterAnotherConnectionsAnswerWaitsForItsAnswerOnTheTarget() throws Exception {
    CausalOrder order = CausalOrder.fresh();
    CompletableFuture<Void> indexCreated = new CompletableFuture<>();
    order.handedOver("client-a", 1_000, indexCreated); // the source answered it at 1,000 us
    CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
      try {
        order.awaitAnsweredBefore("client-b", 1_500); // begun at 1,500 us, on another connection
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200);
    assertFalse(written.isDone(), "waits while the target has not answered the index creation");
    indexCreated.complete(null);
    written.get(5, TimeUnit.SECONDS);
  }

  @Test
  void overlappingRequestsAndTheSameConnectionsDoNotWait() throws Exception {
    CausalOrder order = CausalOrder.fresh();
    order.handedOver("client-a", 2_000, new CompletableFuture<>()); // never answered in this test
    long started = System.nanoTime();
    order.awaitAnsweredBefore("client-b", 1_999); // began before that answer ended: they overlapped on the source
    order.awaitAnsweredBefore("client-b", 2_000);
    order.awaitAnsweredBefore("client-a", 5_000); // its own connection: the chain orders it already
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void theHeadStartCountsFromTheFirstRequestHandedOver() throws Exception {
    CausalOrder order = CausalOrder.fresh();
    order.handedOver("client-a", 1_000, new CompletableFuture<>());
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
    order.handedOver("client-a", 1_000, failed);
    failed.completeExceptionally(new IllegalStateException("target unreachable"));
    long started = System.nanoTime();
    order.awaitAnsweredBefore("client-b", 9_000);
    assertEquals(true, System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1));
  }
}
