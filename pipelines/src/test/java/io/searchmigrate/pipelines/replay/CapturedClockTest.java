package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CapturedClockTest {
  @Test
  void theFirstRequestIsDueNowAndLaterOnesTheirCapturedDistanceLaterDividedByTheSpeedup() {
    CapturedClock clock = CapturedClock.startingFresh(2.0);
    assertEquals(10_000, clock.dueMillis(5_000_000, 10_000));
    assertEquals(10_500, clock.dueMillis(6_000_000, 10_001)); // 1 s captured later, twice as fast
    assertEquals(11_000, clock.dueMillis(7_000_000, 10_002));
  }

  @Test
  void aRequestReachedLateIsDueAtOnceAndDoesNotPushBackTheOnesAfterIt() {
    CapturedClock clock = CapturedClock.startingFresh(1.0);
    clock.dueMillis(0, 1_000);
    // captured 100 ms after the first, reached 3 s late: due in the past (send at once)
    assertEquals(1_100, clock.dueMillis(100_000, 4_100));
    // the next one, captured 200 ms after that, keeps its own time on the captured clock
    assertEquals(1_300, clock.dueMillis(300_000, 4_101));
    assertEquals(6_000, clock.dueMillis(5_000_000, 4_102));
  }

  @Test
  void aRequestCapturedBeforeTheFirstOneAskedAboutIsAlreadyDue() {
    CapturedClock clock = CapturedClock.startingFresh(1.0);
    clock.dueMillis(2_000_000, 50_000);
    assertEquals(48_000, clock.dueMillis(0, 50_010));
  }

  @Test
  void aBacklogsEarliestRequestIsDueAHeadStartAfterTheFirstOneAskedAboutAndTheRestInCapturedOrder() {
    long head = CapturedClock.BACKLOG_HEAD_START_MILLIS;
    // the reader reached a partition holding later requests first: they wait for the earlier ones of other partitions
    CapturedClock clock = CapturedClock.withBacklogFrom(0.5, 1_000_000);
    assertEquals(10_000 + head + 4_000, clock.dueMillis(3_000_000, 10_000), "2 s captured later, at half speed");
    assertEquals(true, clock.inHeadStart(10_000 + head - 1), "requests are chained, not waited for, until then");
    assertEquals(false, clock.inHeadStart(10_000 + head));
    assertEquals(10_000 + head + 1_000, clock.dueMillis(1_500_000, 10_050));
    assertEquals(10_000 + head - 200, clock.dueMillis(900_000, 10_060), "begun before its record was written");
    assertEquals(false, CapturedClock.startingFresh(1.0).inHeadStart(0), "no backlog known: no head start");
    // a task started again late in a long run (in another process): its first request is due at once
    CapturedClock restarted = CapturedClock.withBacklogFrom(1.0, 1_000_000);
    assertEquals(50_000, restarted.dueMillis(1_000_000 + 2 * CapturedClock.BACKLOG_WINDOW_MICROS, 50_000));
    assertEquals(false, restarted.inHeadStart(50_000));
  }

  @Test
  void workersOfOneRunShareItsClockAndAnotherRunHasItsOwn() {
    CapturedClock a = CapturedClock.of("run-a", 1.0, 0);
    assertSame(a, CapturedClock.of("run-a", 1.0, 0));
    assertNotSame(a, CapturedClock.of("run-b", 1.0, 0));
  }

  @Test
  void aClockNeedsASpeedupAboveZero() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CapturedClock.of("run-c", 0, 0));
    assertEquals("a captured clock needs a speedup above 0, was 0.0", e.getMessage());
  }
}
