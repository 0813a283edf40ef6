package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The commit point advances only over offsets done with, in order; a never-read offset is skipped after patience. */
class AnsweredOffsetsTest {
  @Test
  void theCommitPointStopsAtTheFirstRecordStillInFlight() {
    AnsweredOffsets p = new AnsweredOffsets(10, 1000);
    for (long o = 10; o < 15; o++) {
      p.add(TopicPositions.read(o), 0);
    }
    p.add(TopicPositions.done(11), 0);
    p.add(TopicPositions.done(12), 0);
    assertEquals(10, p.commitPoint(0), "10 is still being replayed");
    assertEquals(3, p.inFlight());
    p.add(TopicPositions.done(10), 0);
    assertEquals(13, p.commitPoint(0));
    p.add(TopicPositions.done(14), 0);
    p.add(TopicPositions.done(13), 0);
    assertEquals(15, p.commitPoint(0));
    assertEquals(true, p.settled());
  }

  @Test
  void doneBeforeItsReadIsSeenCountsAndLateReadsBelowThePointAreIgnored() {
    AnsweredOffsets p = new AnsweredOffsets(0, 1000);
    p.add(TopicPositions.done(0), 0);
    p.add(TopicPositions.read(0), 0);
    p.add(TopicPositions.read(1), 0);
    assertEquals(1, p.commitPoint(0));
    p.add(TopicPositions.done(1), 0);
    assertEquals(2, p.commitPoint(0));
    assertEquals(true, p.settled());
  }

  @Test
  void anOffsetNeverReadWhileLaterOnesWereIsSkippedOnlyAfterThePatience() {
    AnsweredOffsets p = new AnsweredOffsets(5, 1000);
    p.add(TopicPositions.read(7), 0); // 5 and 6: a transaction marker, or not read yet
    p.add(TopicPositions.done(7), 0);
    assertEquals(5, p.commitPoint(500));
    p.add(TopicPositions.read(5), 600);
    p.add(TopicPositions.done(5), 600);
    assertEquals(6, p.commitPoint(700));
    assertEquals(6, p.commitPoint(1500), "patience counts from when the point stopped at 6");
    assertEquals(8, p.commitPoint(1800));
  }

  @Test
  void anUnknownStartBeginsAtTheFirstOffsetSeen() {
    AnsweredOffsets p = new AnsweredOffsets(-1, 1000);
    p.add(TopicPositions.read(42), 0);
    assertEquals(42, p.commitPoint(0));
    p.add(TopicPositions.done(42), 0);
    assertEquals(43, p.commitPoint(0));
  }

  @Test
  void anUnknownStartIsWhereReadingBeganEvenWhenADoneBatchComesFirst() {
    AnsweredOffsets p = new AnsweredOffsets(-1, Long.MAX_VALUE);
    p.add(TopicPositions.done(12, 13), 0); // took the faster way through the runner
    assertEquals(-1, p.commitPoint(0), "not known yet: nothing to commit");
    p.add(TopicPositions.read(10, 11, 12, 13), 0);
    assertEquals(10, p.commitPoint(0), "10 and 11 are still being replayed");
    p.add(TopicPositions.done(11, 10), 0);
    assertEquals(14, p.commitPoint(0));
    assertEquals(true, p.settled());
  }

  @Test
  void offsetsOfABatchBelowTheStartAreIgnoredAndTheOthersCount() {
    AnsweredOffsets p = new AnsweredOffsets(3, Long.MAX_VALUE);
    p.add(TopicPositions.read(1, 2, 3, 4, 5), 0);
    p.add(TopicPositions.done(5, 3), 0);
    assertEquals(4, p.commitPoint(0), "below the start is ignored; 4 is in flight");
    assertEquals(1, p.inFlight());
    p.add(TopicPositions.done(4), 0);
    assertEquals(6, p.commitPoint(0));
  }
}
