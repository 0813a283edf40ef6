package io.searchmigrate.pipelines.ndjson;

import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Calls;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes JSON lines as objects under an S3 prefix, in parts of at most {@code maxLines} lines and about
 * {@value #PART_BYTES} bytes, since S3 objects cannot be appended to. Every object is written (with retries) before the
 * bundle that produced its lines completes, so a run that dies keeps what it wrote. Each DoFn instance names its own
 * objects ({@code <name>-<worker>-<n>}): parallel writers never share one.
 *
 * <pre>{@code
 * lines.apply(ParDo.of(S3PartsFn.rotating(S3Uri.parse("s3://bucket/tuples", "--tuples"), access, "tuples", 10_000)));
 * }</pre>
 *
 * <p>Two shapes:
 * <ul>
 *   <li>{@link #partPerBundle} (dead letters, which are few): every bundle's lines close a part,
 *       {@code <name>-<worker>-<n>.ndjson}.</li>
 *   <li>{@link #rotating} (tuples, as {@code NdjsonFilesFn} writes files): a part grows over bundles until it is full,
 *       then is written whole and gzip-compressed, {@code <name>-<worker>-<n>.ndjson.gz}. Until then each bundle's new
 *       lines are written as a chunk {@code <name>-<worker>-<n>.<k>.ndjson}; the chunks are deleted once their part is
 *       written ({@link NdjsonParts} skips a chunk whose part exists, should a run die in between). A part is held in
 *       memory while it grows, hence the byte bound.</li>
 * </ul>
 */
public final class S3PartsFn extends DoFn<String, Void> {
  private static final long serialVersionUID = 1L;
  public static final int PART_BYTES = 8 << 20;

  private final S3Uri prefix;
  private final S3Access access;
  private final String name;
  private final int maxLines;
  private final boolean rotating;
  private final Counter written;
  private transient S3Client s3;
  private transient String worker;
  private transient int part;
  private transient StringBuilder lines;
  private transient int lineCount;
  /** Lines (and chars) of the part already in chunks. */
  private transient int savedLines;
  private transient int savedChars;
  private transient List<String> chunks;

  private S3PartsFn(S3Uri prefix, S3Access access, String name, int maxLines, boolean rotating) {
    if (maxLines < 1) {
      throw new IllegalArgumentException("maxLines must be positive, not " + maxLines);
    }
    this.prefix = prefix;
    this.access = access;
    this.name = name;
    this.maxLines = maxLines;
    this.rotating = rotating;
    this.written = Metrics.counter(S3PartsFn.class, name + "_written");
  }

  /** Every bundle's lines (at most {@code maxLines} an object) as {@code <name>-<worker>-<n>.ndjson}. */
  public static S3PartsFn partPerBundle(S3Uri prefix, S3Access access, String name, int maxLines) {
    return new S3PartsFn(prefix, access, name, maxLines, false);
  }

  /** Parts of {@code maxLines} as {@code <name>-<worker>-<n>.ndjson.gz}, the lines before that as chunks. */
  public static S3PartsFn rotating(S3Uri prefix, S3Access access, String name, int maxLines) {
    return new S3PartsFn(prefix, access, name, maxLines, true);
  }

  @Setup
  public void setup() {
    s3 = access.client();
    worker = UUID.randomUUID().toString().substring(0, 8);
    part = 1;
    lines = new StringBuilder();
    chunks = new ArrayList<>();
  }

  @ProcessElement
  public void process(@Element String line) throws IOException {
    lines.append(line).append('\n');
    lineCount++;
    if (lineCount >= maxLines || lines.length() >= PART_BYTES) {
      writePart();
    }
  }

  @FinishBundle
  public void finishBundle() throws IOException {
    if (rotating) {
      writeChunk();
    } else {
      writePart();
    }
  }

  @Teardown
  public void teardown() throws IOException {
    try {
      if (lines != null) {
        writePart(); // a replay stopped cleanly leaves whole parts only
      }
    } finally {
      if (s3 != null) {
        s3.close();
      }
    }
  }

  private String partName() {
    return String.format("%s-%s-%06d", name, worker, part);
  }

  private void writePart() throws IOException {
    if (lineCount == 0) {
      return;
    }
    byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
    if (rotating) {
      put(partName() + NdjsonParts.GZ, gzip(bytes), "application/gzip");
      for (String chunk : chunks) {
        String key = prefix.key(chunk);
        S3Calls.withRetries(S3Uri.SCHEME + prefix.bucket() + "/" + key, access,
            () -> s3.deleteObject(b -> b.bucket(prefix.bucket()).key(key)));
      }
    } else {
      put(partName() + NdjsonParts.NDJSON, bytes, "application/x-ndjson");
    }
    written.inc(lineCount - savedLines);
    part++;
    lines.setLength(0);
    lineCount = 0;
    savedLines = 0;
    savedChars = 0;
    chunks.clear();
  }

  private void writeChunk() throws IOException {
    if (lineCount == savedLines) {
      return;
    }
    String chunk = partName() + String.format(".%04d", chunks.size() + 1) + NdjsonParts.NDJSON;
    put(chunk, lines.substring(savedChars).getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    chunks.add(chunk);
    written.inc(lineCount - savedLines);
    savedLines = lineCount;
    savedChars = lines.length();
  }

  private void put(String object, byte[] bytes, String contentType) throws IOException {
    String key = prefix.key(object);
    S3Calls.withRetries(S3Uri.SCHEME + prefix.bucket() + "/" + key, access,
        () -> s3.putObject(b -> b.bucket(prefix.bucket()).key(key).contentType(contentType), RequestBody.fromBytes(bytes)));
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    }
    return out.toByteArray();
  }
}
