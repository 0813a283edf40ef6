package io.searchmigrate.snapshot.creation;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.ProgressLine;
import java.util.Locale;

/** Where a snapshot stands: state, shards done of total, bytes done of total, and the rate so far. */
public final class SnapshotProgress {
  private final String snapshot;
  private final String state;
  private final int shardsDone;
  private final int shardsFailed;
  private final int shardsTotal;
  private final long bytesDone;
  private final long bytesTotal;
  private final long elapsedMillis;

  SnapshotProgress(String snapshot, String state, int shardsDone, int shardsFailed, int shardsTotal, long bytesDone,
      long bytesTotal, long elapsedMillis) {
    this.snapshot = snapshot;
    this.state = state;
    this.shardsDone = shardsDone;
    this.shardsFailed = shardsFailed;
    this.shardsTotal = shardsTotal;
    this.bytesDone = bytesDone;
    this.bytesTotal = bytesTotal;
    this.elapsedMillis = elapsedMillis;
  }

  /** Reads one entry of {@code _snapshot/<repo>/<name>/_status}, in the 5.x-6.x and the 7.4+ shapes. */
  static SnapshotProgress fromStatus(JsonNode entry) {
    JsonNode shards = entry.path("shards_stats");
    JsonNode stats = entry.path("stats");
    long bytesTotal;
    long bytesDone;
    if (stats.has("total")) {
      bytesTotal = stats.path("total").path("size_in_bytes").asLong();
      bytesDone = stats.path("processed").path("size_in_bytes").asLong()
          + (bytesTotal - stats.path("incremental").path("size_in_bytes").asLong());
    } else {
      bytesTotal = stats.path("total_size_in_bytes").asLong();
      bytesDone = stats.path("processed_size_in_bytes").asLong();
    }
    String state = entry.path("state").asText("UNKNOWN");
    if ("SUCCESS".equals(state)) {
      bytesDone = bytesTotal;
    }
    return new SnapshotProgress(entry.path("snapshot").asText(), state, shards.path("done").asInt(), shards.path("failed").asInt(),
        shards.path("total").asInt(), Math.min(bytesDone, bytesTotal), bytesTotal, stats.path("time_in_millis").asLong());
  }

  public String snapshot() {
    return snapshot;
  }

  /** STARTED, SUCCESS, FAILED, PARTIAL, ABORTED (as the source reports it). */
  public String state() {
    return state;
  }

  public boolean isFinished() {
    return !("STARTED".equals(state) || "INIT".equals(state) || "IN_PROGRESS".equals(state));
  }

  public int shardsDone() {
    return shardsDone;
  }

  public int shardsFailed() {
    return shardsFailed;
  }

  public int shardsTotal() {
    return shardsTotal;
  }

  public long bytesDone() {
    return bytesDone;
  }

  public long bytesTotal() {
    return bytesTotal;
  }

  public long elapsedMillis() {
    return elapsedMillis;
  }

  /** One line for people: "snap-1: SUCCESS, shards 7/7 (0 failed), 12.3 MB of 12.3 MB (100%), 4.1 MB/s, 3.0 s". */
  public String describe() {
    double seconds = elapsedMillis / 1000.0;
    double percent = bytesTotal == 0 ? 100.0 : 100.0 * bytesDone / bytesTotal;
    double rate = seconds > 0 ? bytesDone / seconds : 0;
    return String.format(Locale.ROOT, "%s: %s, shards %d/%d done (%d failed), %s of %s (%.0f%%), %s/s, %.1f s", snapshot, state,
        shardsDone, shardsTotal, shardsFailed, bytes(bytesDone), bytes(bytesTotal), percent, bytes((long) rate), seconds);
  }

  static String bytes(long n) {
    return ProgressLine.bytes(n);
  }
}
