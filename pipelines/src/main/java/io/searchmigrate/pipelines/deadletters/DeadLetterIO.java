package io.searchmigrate.pipelines.deadletters;

import io.searchmigrate.common.OwnerOnlyFiles;
import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.pipelines.ndjson.S3PartsFn;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * A dead-letter sink that keeps what it was given even when the pipeline dies afterwards: lines are appended to one
 * NDJSON file at the end of every bundle (and every {@value #FLUSH_LINES} lines), synced to disk before the bundle
 * completes. So a run killed by a signal, out of memory or a failing step still tells which documents failed.
 * The file is created readable by its owner only (it holds documents).
 *
 * <pre>{@code
 * failures.apply(MapElements.into(strings()).via(FailedDocument::toJsonLine))
 *     .apply(DeadLetterIO.append().to("/var/migrate/dead-letters.ndjson"));
 * }</pre>
 *
 * <p>Appends are serialized per file within a JVM and with a file lock across processes (workers of a local Flink
 * cluster share the machine). A bundle that a runner retries appends its lines again: dead letters are
 * at-least-once, like the writes they report. On a multi-machine cluster the file is on each worker's own disk.
 *
 * <p>To {@code s3://bucket/prefix} (with {@link Append#withS3}), every flush is one new object instead, since S3 objects
 * cannot be appended to: {@code prefix/part-<worker>-<n>.ndjson}, at most {@value #FLUSH_LINES} lines and about
 * {@value S3PartsFn#PART_BYTES} bytes each ({@link S3PartsFn#partPerBundle}), written (with retries) before the bundle completes. Every worker of a cluster
 * writes there, whichever machine it runs on.
 */
public final class DeadLetterIO {
  static final int FLUSH_LINES = 1_000;
  private static final ConcurrentHashMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

  private DeadLetterIO() {}

  public static Append append() {
    return new Append(null, S3Access.defaults());
  }

  /** Appends each line (no line breaks inside) to the file. */
  public static final class Append extends PTransform<PCollection<String>, PDone> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final S3Access s3;

    private Append(String file, S3Access s3) {
      this.file = file;
      this.s3 = s3;
    }

    /** A file, or {@code s3://bucket/prefix} for parts under that prefix. */
    public Append to(String location) {
      return new Append(S3Uri.isS3(location) ? location : Path.of(location).toAbsolutePath().toString(), s3);
    }

    /** How to reach S3 for an {@code s3://} location (default: the AWS default region and endpoints). */
    public Append withS3(S3Access access) {
      return new Append(file, Objects.requireNonNull(access, "access"));
    }

    @Override
    public PDone expand(PCollection<String> lines) {
      Objects.requireNonNull(file, "to(file) is required");
      lines.apply("AppendDurably", ParDo.of(S3Uri.isS3(file) ? parts(S3Uri.parse(file, "--dead-letter"), s3)
          : new AppendFn(file)));
      return PDone.in(lines.getPipeline());
    }
  }

  static final class AppendFn extends DoFn<String, Void> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private transient List<String> pending;

    AppendFn(String file) {
      this.file = file;
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element String line) {
      pending.add(line);
      if (pending.size() >= FLUSH_LINES) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle() {
      flush();
    }

    private void flush() {
      if (pending.isEmpty()) {
        return;
      }
      StringBuilder text = new StringBuilder();
      pending.forEach(line -> text.append(line).append('\n'));
      appendDurably(Path.of(file), text.toString().getBytes(StandardCharsets.UTF_8));
      pending.clear();
    }
  }

  /** Every flush one new object under the prefix: S3 cannot append. */
  static S3PartsFn parts(S3Uri prefix, S3Access access) {
    return S3PartsFn.partPerBundle(prefix, access, "part", FLUSH_LINES);
  }

  /** Appends bytes to a file and forces them to disk, one writer at a time. */
  static void appendDurably(Path path, byte[] bytes) {
    synchronized (JVM_LOCKS.computeIfAbsent(path, p -> new Object())) {
      try {
        OwnerOnlyFiles.create(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            FileLock lock = channel.lock()) {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          channel.force(false);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append dead letters to " + path + ": " + e.getMessage(), e);
      }
    }
  }
}
