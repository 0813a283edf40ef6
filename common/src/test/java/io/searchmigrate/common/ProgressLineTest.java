package io.searchmigrate.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The shared progress line: what it says, when it says it, and how it is drawn on a terminal and in a log. */
class ProgressLineTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong clock = new AtomicLong(100 * SECOND);
  private final StringWriter written = new StringWriter();
  private final PrintWriter out = new PrintWriter(written);

  private void at(double seconds) {
    clock.set(100 * SECOND + Math.round(seconds * SECOND));
  }

  @Test
  void inALogEachLineIsWholeRateIsSinceTheLastLineAndEtaFromTheAverage() {
    ProgressLine progress = ProgressLine.on(out, "generate-data").withTotal(100_000).withTerminal(false, clock::get);
    at(4);
    assertTrue(progress.update(20_000, 100_000, null), "the first reading is shown at once");
    at(6);
    assertFalse(progress.update(30_000, 100_000, null), "not due yet: 5 s between lines");
    at(9);
    assertTrue(progress.update(60_000, 100_000, "batches 60"));
    at(10);
    progress.finish(100_000);
    assertEquals("""
        [generate-data    4s] 20,000 of 100,000 docs (5,000 docs/s), 20%, ETA 16 s
        [generate-data    9s] 60,000 of 100,000 docs (8,000 docs/s), 60%, ETA 6 s, batches 60
        [generate-data   10s] 100,000 of 100,000 docs (40,000 docs/s), 100%
        """, written.toString());
  }

  @Test
  void onATerminalOneLineIsRewrittenInPlaceAndMessagesGoAboveIt() {
    ProgressLine progress = ProgressLine.on(out, "replay").counting("requests").withTerminal(true, clock::get);
    at(1);
    progress.update(1_500, 0, "lag 200 records");
    at(1.1);
    assertFalse(progress.update(1_600, 0, "lag 100 records"), "a terminal is redrawn at most every 250 ms");
    at(2);
    progress.update(2_000, 0, "lag 0");
    progress.message("warning: something");
    at(3);
    progress.finish(2_500, 0, "drained");
    assertEquals("\r[replay    1s] 1,500 requests (1,500 requests/s), lag 200 records"
        // shorter than the line it overwrites: padded with spaces so nothing of the old one stays
        + "\r[replay    2s] 2,000 requests (500 requests/s), lag 0" + " ".repeat(12)
        + "\rwarning: something" + " ".repeat(65 - 18) + "\n"
        + "\r[replay    3s] 2,500 requests (500 requests/s), drained\n", written.toString());
  }

  @Test
  void bytesAreShownAsPeopleReadThemAndAnUnknownTotalHasNoPercent() {
    ProgressLine progress = ProgressLine.on(out, "snapshot").countingBytes().withTotal(4L << 20).withTerminal(false, clock::get);
    at(2);
    progress.update(1L << 20, 4L << 20, "shards 1/4");
    assertEquals("[snapshot    2s] 1.0 MB of 4.0 MB (512.0 KB/s), 25%, ETA 6 s, shards 1/4\n", written.toString());
    assertEquals("512 B", ProgressLine.bytes(512));
    assertEquals("1.5 GB", ProgressLine.bytes(3L << 29));
  }

  @Test
  void toLinesHandsWholeLinesToALogAndTheIntervalCanBeChosen() {
    List<String> lines = new ArrayList<>();
    ProgressLine progress = ProgressLine.toLines(lines::add, "validate").every(Duration.ofSeconds(2))
        .withTerminal(true, clock::get); // no terminal behind a log, whatever is asked
    assertFalse(progress.isTerminal());
    at(1);
    progress.update(10, 40, null);
    at(2);
    progress.update(20, 40, null);
    at(3.5);
    progress.update(39, 40, null);
    progress.message("a step");
    assertEquals(List.of("[validate    1s] 10 of 40 docs (10 docs/s), 25%, ETA 3 s",
        "[validate    4s] 39 of 40 docs (12 docs/s), 97%, ETA 0 s", "a step"), lines);
  }

  @Test
  void terminalModeIsChosenByTheEnvironmentThenByTheConsole() {
    assertTrue(ProgressLine.isTerminal(null, true, "xterm-256color"));
    assertFalse(ProgressLine.isTerminal(null, false, "xterm"), "output redirected");
    assertFalse(ProgressLine.isTerminal(null, true, "dumb"), "a dumb terminal has no carriage return to rely on");
    assertFalse(ProgressLine.isTerminal("lines", true, "xterm"));
    assertTrue(ProgressLine.isTerminal("terminal", false, null));
  }
}
