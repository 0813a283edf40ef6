package io.searchmigrate.pipelines.replay;

import io.searchmigrate.common.OwnerOnlyFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Appends JSON lines to rotating files in a directory, {@code <prefix>-<writer>-<n>.ndjson}; a file that reached
 * {@code maxLines} is closed and gzip-compressed ({@code .ndjson.gz}). Each DoFn instance writes its own files, so
 * parallel writers never share one; lines are flushed at the end of every bundle. Files are readable by their owner
 * only: tuples and dead letters hold documents.
 *
 * <pre>{@code
 * tuples.apply(ParDo.of(new NdjsonFilesFn(Path.of("/data/tuples"), "tuples", 10_000)));
 * }</pre>
 */
final class NdjsonFilesFn extends DoFn<String, Void> {
  private final String dir;
  private final String prefix;
  private final int maxLines;
  private final Counter written;
  private transient String writerId;
  private transient int fileNumber;
  private transient int lines;
  private transient long unflushed;
  private transient Path current;
  private transient BufferedWriter out;

  NdjsonFilesFn(Path dir, String prefix, int maxLines) {
    this.dir = dir.toString();
    this.prefix = prefix;
    this.maxLines = maxLines;
    this.written = Metrics.counter(NdjsonFilesFn.class, prefix + "_written");
  }

  @Setup
  public void setup() throws IOException {
    Files.createDirectories(Path.of(dir));
    writerId = UUID.randomUUID().toString().substring(0, 8);
  }

  @ProcessElement
  public void process(@Element String line) throws IOException {
    if (out == null) {
      current = Path.of(dir, prefix + "-" + writerId + "-" + String.format("%05d", fileNumber++) + ".ndjson");
      out = new BufferedWriter(new OutputStreamWriter(OwnerOnlyFiles.newOutputStream(current, StandardOpenOption.TRUNCATE_EXISTING),
          StandardCharsets.UTF_8));
      lines = 0;
    }
    out.write(line);
    out.write('\n');
    unflushed++;
    if (++lines >= maxLines) {
      rotate();
    }
  }

  @FinishBundle
  public void finishBundle() throws IOException {
    if (out != null) {
      out.flush();
    }
    written.inc(unflushed); // counted once on disk, so "written" means readable in the file
    unflushed = 0;
  }

  @Teardown
  public void teardown() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }

  private void rotate() {
    try {
      out.close();
      out = null;
      Path gz = Path.of(current + ".gz");
      try (InputStream in = Files.newInputStream(current); OutputStream zip = new GZIPOutputStream(
          OwnerOnlyFiles.newOutputStream(gz, StandardOpenOption.TRUNCATE_EXISTING))) {
        in.transferTo(zip);
      }
      Files.delete(current);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rotate " + current, e);
    }
  }
}
