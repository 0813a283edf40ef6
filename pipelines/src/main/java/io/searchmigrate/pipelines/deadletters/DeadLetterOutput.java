package io.searchmigrate.pipelines.deadletters;

import io.searchmigrate.common.LocalPaths;
import io.searchmigrate.common.UserError;
import io.searchmigrate.pipelines.ndjson.NdjsonParts;
import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Where one run's dead letters go, chosen before it starts so runs never mix and nothing is overwritten: a file (one
 * left by an earlier run is moved aside first) or, for {@code s3://bucket/prefix}, a folder of its own under the prefix
 * ({@code prefix/<name>-<time>/part-*.ndjson}, see {@link DeadLetterIO}).
 *
 * <pre>{@code
 * DeadLetterOutput out = DeadLetterOutput.prepare(options.getDeadLetter(), "dead-letter-snap-1", s3, log);
 * ... DeadLetterIO.append().to(out.location()).withS3(s3) ...
 * long lines = out.lines(); out.removeIfEmpty();
 * }</pre>
 */
public final class DeadLetterOutput {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path file;
  private final S3Uri folder;
  private final S3Access s3;

  private DeadLetterOutput(Path file, S3Uri folder, S3Access s3) {
    this.file = file;
    this.folder = folder;
    this.s3 = s3;
  }

  /**
   * @param option what the user gave (a file, {@code s3://bucket/prefix}) or null for {@code <name>-<time>.ndjson} in the
   *     working directory
   * @param name the run's name, e.g. {@code dead-letter-<snapshot>}
   */
  public static DeadLetterOutput prepare(String option, String name, S3Access s3, Consumer<String> log) {
    String now = LocalDateTime.now().format(TIME);
    if (S3Uri.isS3(option)) {
      S3Uri prefix = S3Uri.parse(option, "--dead-letter");
      S3Uri folder = new S3Uri(prefix.bucket(), prefix.key(name + "-" + now));
      return new DeadLetterOutput(null, folder, s3);
    }
    Path file = (option != null ? LocalPaths.of(option, "--dead-letter") : Path.of(name + "-" + now + ".ndjson")).toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
      if (Files.exists(file) && Files.size(file) > 0) {
        Path aside = file.resolveSibling(file.getFileName() + "." + now);
        Files.move(file, aside);
        log.accept("an earlier run's dead letters were in " + file + "; moved to " + aside);
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UserError("cannot prepare the dead-letter file " + file + ": " + e.getMessage());
    }
    return new DeadLetterOutput(file, null, s3);
  }

  /** The file's absolute path, or the run's {@code s3://} folder: what {@link DeadLetterIO.Append#to} takes. */
  public String location() {
    return file != null ? file.toString() : folder.toString();
  }

  /** How to reach S3 for the folder. */
  public S3Access s3() {
    return s3;
  }

  /** Lines written so far (-1 when they cannot be read back). */
  public long lines() {
    if (file != null) {
      if (!Files.exists(file)) {
        return 0;
      }
      try (Stream<String> lines = Files.lines(file)) {
        return lines.filter(l -> !l.isBlank()).count();
      } catch (IOException e) {
        return -1;
      }
    }
    try {
      long lines = 0;
      for (NdjsonParts.Part part : NdjsonParts.list(folder.toString(), s3, false)) {
        try (BufferedReader reader = part.open()) {
          lines += reader.lines().filter(l -> !l.isBlank()).count();
        }
      }
      return lines;
    } catch (IOException e) {
      return -1;
    }
  }

  /** A run where everything arrived leaves no empty file behind (in S3 no part was written at all). */
  public void removeIfEmpty() {
    if (file != null && lines() == 0) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // an empty file left behind is harmless
      }
    }
  }

  @Override
  public String toString() {
    return file != null ? file.toString() : folder + "/ (one part-*.ndjson object per flush)";
  }
}
