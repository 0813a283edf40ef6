package io.searchmigrate.pipelines.ndjson;

import io.searchmigrate.snapshot.s3.S3Access;
import io.searchmigrate.snapshot.s3.S3Calls;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The NDJSON parts a writer left in a folder ({@code NdjsonFilesFn}) or under an S3 prefix ({@link S3PartsFn}), in name
 * order: {@code *.ndjson} and {@code *.ndjson.gz} (read decompressed). A chunk {@code <part>.<k>.ndjson} whose part
 * {@code <part>.ndjson.gz} exists is skipped: its lines are in the part.
 *
 * <pre>{@code
 * for (NdjsonParts.Part part : NdjsonParts.list("s3://bucket/tuples", s3, false)) {
 *   try (BufferedReader lines = part.open()) { ... }
 * }
 * }</pre>
 */
public final class NdjsonParts {
  static final String NDJSON = ".ndjson";
  static final String GZ = ".ndjson.gz";

  private NdjsonParts() {}

  /** One part: its name (relative to the folder or prefix) and its lines. */
  public interface Part {
    String name();

    BufferedReader open() throws IOException;
  }

  /**
   * The parts in {@code location} (a folder, or {@code s3://bucket/prefix} reached as {@code s3} says); with
   * {@code below}, also those in sub-folders.
   */
  public static List<Part> list(String location, S3Access s3, boolean below) throws IOException {
    return S3Uri.isS3(location) ? inS3(S3Uri.parse(location, "--in"), s3, below) : inFolder(Path.of(location), below);
  }

  private static List<Part> inFolder(Path folder, boolean below) throws IOException {
    try (Stream<Path> all = below ? Files.walk(folder) : Files.list(folder)) {
      List<Path> files = all.filter(Files::isRegularFile).toList();
      return current(files, p -> folder.relativize(p).toString().replace('\\', '/')).stream()
          .map(p -> (Part) new FilePart(folder.relativize(p).toString(), p)).toList();
    }
  }

  private static List<Part> inS3(S3Uri prefix, S3Access access, boolean below) throws IOException {
    String keyPrefix = prefix.prefix().isEmpty() ? "" : prefix.prefix() + "/";
    List<String> keys = new ArrayList<>();
    try (S3Client client = access.client()) {
      String token = null;
      do {
        String continuation = token;
        ListObjectsV2Response page = S3Calls.withRetries("listing of " + prefix, access, () -> client.listObjectsV2(b -> {
          b.bucket(prefix.bucket()).prefix(keyPrefix).continuationToken(continuation);
          if (!below) {
            b.delimiter("/");
          }
        }));
        page.contents().forEach(object -> keys.add(object.key()));
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    }
    return current(keys, key -> key.substring(keyPrefix.length())).stream()
        .map(key -> (Part) new S3Part(key.substring(keyPrefix.length()), prefix.bucket(), key, access)).toList();
  }

  /** The NDJSON parts among {@code all}, sorted by name, without chunks superseded by their part. */
  private static <T> List<T> current(List<T> all, Function<T, String> name) {
    TreeMap<String, T> parts = new TreeMap<>();
    for (T item : all) {
      String n = name.apply(item);
      if (n.endsWith(NDJSON) || n.endsWith(GZ)) {
        parts.put(n, item);
      }
    }
    Set<String> names = parts.keySet().stream().collect(Collectors.toSet());
    parts.keySet().removeIf(n -> n.matches(".*\\.\\d{4}\\.ndjson") && names.contains(n.replaceAll("\\.\\d{4}\\.ndjson$", GZ)));
    return new ArrayList<>(parts.values());
  }

  private static BufferedReader reader(String name, InputStream raw) throws IOException {
    return new BufferedReader(new InputStreamReader(name.endsWith(".gz") ? new GZIPInputStream(raw) : raw,
        StandardCharsets.UTF_8));
  }

  private record FilePart(String name, Path file) implements Part {
    @Override
    public BufferedReader open() throws IOException {
      return reader(name, Files.newInputStream(file));
    }
  }

  private record S3Part(String name, String bucket, String key, S3Access access) implements Part {
    @Override
    public BufferedReader open() throws IOException {
      byte[] bytes;
      try (S3Client client = access.client()) {
        bytes = S3Calls.withRetries(S3Uri.SCHEME + bucket + "/" + key, access,
            () -> client.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asByteArray());
      }
      return reader(name, new ByteArrayInputStream(bytes));
    }
  }
}
