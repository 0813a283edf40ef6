package io.searchmigrate.pipelines.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressLedgerTest {
  private static final Instant AT = Instant.parse("2026-11-28T12:00:00Z");

  @TempDir
  Path temp;

  private static ProgressLedger.Entry slice(String index, int shard, int from, int to) {
    return new ProgressLedger.Entry(index, shard, from, to, to - from, "snap-1", "uuid-1", "http://target:9200", AT);
  }

  @Test
  void finishedSlicesAreReadBackInTheOrderWrittenFromAnOwnerOnlyFile() throws Exception {
    ProgressLedger ledger = ProgressLedger.at(temp.resolve("state"));
    assertFalse(ledger.exists());
    assertEquals(Set.of(), ledger.finished());
    ledger.record(slice("logs", 1, 0, 50));
    ledger.record(slice("logs", 0, 50, 100));

    ProgressLedger reopened = ProgressLedger.at(temp.resolve("state"));
    assertEquals(List.of(slice("logs", 1, 0, 50), slice("logs", 0, 50, 100)), reopened.entries());
    assertEquals(Set.of("logs/1/0-50", "logs/0/50-100"), reopened.finished());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        temp.resolve("state").resolve(ProgressLedger.FILE))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("state"))));
  }

  @Test
  void aLineCutShortByACrashIsNotAFinishedSlice() throws Exception {
    ProgressLedger ledger = ProgressLedger.at(temp);
    ledger.record(slice("logs", 0, 0, 50));
    Files.writeString(temp.resolve(ProgressLedger.FILE), "{\"index\":\"logs\",\"shard\":0,\"fr", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    assertEquals(Set.of("logs/0/0-50"), ledger.finished());
    ledger.record(slice("logs", 0, 50, 100)); // the next run's line starts a line of its own
    assertEquals(Set.of("logs/0/0-50", "logs/0/50-100"), ledger.finished());
  }

  @Test
  void theTotalIsUnknownUntilRecordedAndRestartClearsEverything() {
    ProgressLedger ledger = ProgressLedger.at(temp);
    assertEquals(-1, ledger.total());
    ledger.record(slice("logs", 0, 0, 50));
    ledger.recordTotal(12, false);
    assertEquals(12, ledger.total());
    assertFalse(ledger.complete());
    ledger.recordTotal(12, true);
    assertTrue(ledger.complete());
    ledger.clear();
    assertFalse(ledger.exists());
    assertEquals(-1, ledger.total());
    assertEquals(List.of(), ledger.entries());
  }

  @Test
  void aLedgerOfAnotherSnapshotOrTargetIsRefusedWithWhatToDo() {
    ProgressLedger ledger = ProgressLedger.at(temp);
    ledger.checkBelongsTo("uuid-2", "http://other:9200"); // empty: anything goes
    ledger.record(slice("logs", 0, 0, 50));
    ledger.checkBelongsTo("uuid-1", "http://target:9200");
    UserError error = assertThrows(UserError.class, () -> ledger.checkBelongsTo("uuid-2", "http://target:9200"));
    assertEquals("the backfill state in " + temp.toAbsolutePath() + " is of snapshot 'snap-1' (uuid uuid-1) into "
        + "http://target:9200, not of this run (uuid uuid-2 into http://target:9200); give another --state folder, or "
        + "--restart to clear it", error.getMessage());
    assertEquals(null, ledger.otherRun("uuid-1", "http://target:9200"));
    assertTrue(assertThrows(UserError.class, () -> ledger.checkBelongsTo("uuid-1", "http://other:9200"))
        .getMessage().contains("into http://target:9200, not of this run"));
  }
  /**
   * Slices finishing at the same moment on several worker threads, into a folder that does not exist yet and then
   * into one just cleared (a run starting over): every line is kept whole, none is lost (creating the folder or the
   * file in a race failed with "cannot record a finished slice").
   */
  @Test
  void slicesFinishingTogetherOnManyThreadsAreAllRecordedAlsoAfterAClear() throws Exception {
    int threads = 8;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 40; round++) {
        ProgressLedger ledger = ProgressLedger.at(temp.resolve("fresh-" + round / 2));
        if (round % 2 == 1) {
          ledger.clear(); // the same folder again, emptied as a run starting over empties it
        }
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(threads);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int shard = t;
          done.add(pool.submit(() -> {
            together.await();
            ledger.record(slice("logs", shard, 0, 50));
            ledger.record(slice("logs", shard, 50, 100));
            return null;
          }));
        }
        for (java.util.concurrent.Future<?> f : done) {
          f.get(); // rethrows a failed record
        }
        assertEquals(threads * 2, ledger.entries().size());
        assertEquals(threads * 2, ledger.finished().size());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
