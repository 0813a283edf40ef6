package io.searchmigrate.pipelines.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A backfill's record of the slices it finished (every document of the slice acknowledged by the target), so that a
 * run started again after a crash or Ctrl-C skips them. One owner-only NDJSON file, {@code slices.ndjson}, in the state
 * folder; each finished slice is one line appended and forced to disk before the slice counts as done. A line cut short
 * by a crash is ignored (its slice is read again: writes are idempotent by {@code _id}).
 *
 * <pre>{@code
 * ProgressLedger ledger = ProgressLedger.at(Path.of("backfill-state/snap-1-3fa2c1d0"));
 * if (!ledger.finished().contains(ProgressLedger.key("logs", 0, 0, 20000))) { ... ledger.record(entry); }
 * }</pre>
 */
public final class ProgressLedger implements SliceLedger {
  static final String FILE = "slices.ndjson";
  static final String TOTAL = "total.json";
  private static final Object APPENDING = new Object();
  /** Set once this JVM is stopping (Ctrl-C): no line is started after the last one is whole on disk. */
  private static boolean stopping;
  private static final FileAttribute<?> OWNER_ONLY_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private final Path dir;
  /** What was finished when this worker first asked: slices are read once per run, so no need to read it again. */
  private Set<String> finishedBefore;

  private ProgressLedger(Path dir) {
    this.dir = dir;
  }

  public static ProgressLedger at(Path dir) {
    return new ProgressLedger(dir.toAbsolutePath());
  }

  public Path dir() {
    return dir;
  }

  @Override
  public String location() {
    return dir.toString();
  }

  @Override
  public boolean exists() {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  /** A slice's key in the ledger. */
  public static String key(String index, int shard, int from, int to) {
    return index + '/' + shard + '/' + from + '-' + to;
  }

  /** One finished slice. */
  public record Entry(String index, int shard, int from, int to, long documents, String snapshot, String snapshotUuid,
      String target, Instant finishedAt) {
    public String key() {
      return ProgressLedger.key(index, shard, from, to);
    }
  }

  /**
   * Checks that the ledger belongs to this snapshot (by uuid) and target, so that a state folder reused for another
   * snapshot of the same name does not skip slices it never wrote.
   */
  public void checkBelongsTo(String snapshotUuid, String target) {
    String other = otherRun(snapshotUuid, target);
    if (other != null) {
      throw new UserError("the backfill state in " + dir + " is " + other + "; give another --state folder, or --restart "
          + "to clear it");
    }
  }

  @Override
  public String otherRun(String snapshotUuid, String target) {
    for (Entry entry : entries()) {
      if (!entry.snapshotUuid().equals(snapshotUuid) || !entry.target().equals(target)) {
        return "of snapshot '" + entry.snapshot() + "' (uuid " + entry.snapshotUuid() + ") into " + entry.target()
            + ", not of this run (uuid " + snapshotUuid + " into " + target + ")";
      }
      return null;
    }
    return null;
  }

  /** Slices finished by an earlier run are skipped; workers of one run never meet on a slice (each is read once). */
  @Override
  public SnapshotIO.SliceSink.Turn claim(Entry slice) {
    if (finishedBefore == null) {
      finishedBefore = finished();
    }
    return finishedBefore.contains(slice.key()) ? SnapshotIO.SliceSink.Turn.SKIP : SnapshotIO.SliceSink.Turn.READ;
  }

  @Override
  public void release(Entry slice) {}

  /** Every whole line of the ledger, in the order written. */
  @Override
  public List<Entry> entries() {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Collections.emptyList();
    }
    List<Entry> entries = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = Json.parse(line);
        } catch (RuntimeException e) {
          continue; // the last line of a run killed while writing it: that slice is read again
        }
        if (!node.hasNonNull("index") || !node.hasNonNull("to")) {
          continue;
        }
        entries.add(new Entry(node.path("index").asText(), node.path("shard").asInt(), node.path("from").asInt(),
            node.path("to").asInt(), node.path("documents").asLong(), node.path("snapshot").asText(),
            node.path("snapshot_uuid").asText(), node.path("target").asText(),
            Instant.parse(node.path("finished_at").asText())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the backfill state " + file, e);
    }
    return entries;
  }

  /**
   * Appends one finished slice, on disk when this returns. Safe from several threads (one lock per JVM) and processes
   * (a lock on the file while the line is appended): slices finishing together never lose or glue lines, and the file
   * is created owner-only by whichever comes first.
   */
  @Override
  public void record(Entry entry) {
    ObjectNode line = Json.object();
    line.put("index", entry.index()).put("shard", entry.shard()).put("from", entry.from()).put("to", entry.to())
        .put("documents", entry.documents()).put("snapshot", entry.snapshot()).put("snapshot_uuid", entry.snapshotUuid())
        .put("target", entry.target()).put("finished_at", entry.finishedAt().toString());
    byte[] bytes = (Json.toString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve(FILE);
    synchronized (APPENDING) {
      if (stopping) {
        return; // the slice is read again by the next run (writes are idempotent by _id)
      }
      try {
        createOwnerOnlyFolder(dir);
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE), OWNER_ONLY_FILE);
            FileLock lock = channel.lock()) {
          ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 1);
          if (endsCutShort(channel)) {
            buffer.put((byte) '\n'); // the line a crash cut short stays alone on its line (and is ignored)
          }
          buffer.put(bytes).flip();
          long end = channel.size(); // at the end, under the lock: no other writer moves it meanwhile
          while (buffer.hasRemaining()) {
            end += channel.write(buffer, end);
          }
          channel.force(false);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot record a finished slice in " + file + ": " + e, e);
      }
    }
  }

  /**
   * For a stopping JVM (a shutdown hook, on Ctrl-C): waits for a line being written to be whole on disk and records no
   * more, so the ledger is left as whole lines; returns how many slices it holds.
   */
  @Override
  public int stopRecording() {
    synchronized (APPENDING) {
      stopping = true;
    }
    return finished().size();
  }

  /** Creates the ledger's folder owner-only; another thread or process creating it at the same time is fine. */
  private static void createOwnerOnlyFolder(Path folder) throws IOException {
    try {
      OwnerOnlyFiles.createDirectory(folder);
    } catch (FileAlreadyExistsException raced) {
      if (!Files.isDirectory(folder)) {
        throw raced;
      }
    }
  }

  /**
   * Records how many slices the snapshot has in all once a run has planned them (for {@code backfill status}), and
   * whether that run delivered everything: the next run of a complete backfill starts over.
   */
  @Override
  public void recordTotal(long slices, boolean complete) {
    ObjectNode run = Json.object();
    run.put("slices_total", slices).put("complete", complete).put("at", Instant.now().toString());
    try {
      OwnerOnlyFiles.createDirectory(dir);
      OwnerOnlyFiles.writeString(dir.resolve(TOTAL), Json.toString(run) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(TOTAL), e);
    }
  }

  @Override
  public long total() {
    Path file = dir.resolve(TOTAL);
    try {
      return Files.isRegularFile(file) ? Json.parse(Files.readString(file)).path("slices_total").asLong(-1) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Whether the file ends in a line a crash cut short: the next line must not be glued to it. */
  private static boolean endsCutShort(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size == 0) {
      return false;
    }
    ByteBuffer last = ByteBuffer.allocate(1);
    channel.read(last, size - 1);
    return last.get(0) != '\n';
  }

  @Override
  public boolean complete() {
    Path file = dir.resolve(TOTAL);
    try {
      return Files.isRegularFile(file) && Json.parse(Files.readString(file)).path("complete").asBoolean(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void clear() {
    try {
      Files.deleteIfExists(dir.resolve(FILE));
      Files.deleteIfExists(dir.resolve(TOTAL));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the backfill state " + dir, e);
    }
  }
}
