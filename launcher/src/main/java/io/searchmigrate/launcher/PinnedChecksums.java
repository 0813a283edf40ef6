package io.searchmigrate.launcher;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checksums the project trusts for what the launcher runs, pinned in its own sources
 * ({@code pinned-checksums.txt}) rather than fetched from the server the artifact comes from: a compromised or
 * spoofed repository cannot vouch for its own files. Lines read {@code group:artifact:version:type sha512|sha1 hex}.
 *
 * <pre>{@code
 * PinnedChecksums pins = PinnedChecksums.load();
 * pins.verify("org.opensearch.distribution.integ-test-zip:opensearch:2.19.1:zip", downloadedZip);
 * }</pre>
 *
 * <p>A user may vouch for more artifacts with {@code MIGRATE_EXTRA_CHECKSUMS=FILE} in the same format.
 */
public final class PinnedChecksums {
  static final String RESOURCE = "pinned-checksums.txt";
  static final String EXTRA_VARIABLE = "MIGRATE_EXTRA_CHECKSUMS";

  /** coordinates → algorithm ("sha512", "sha1") → expected hex. */
  private final Map<String, Map<String, String>> pins;

  PinnedChecksums(Map<String, Map<String, String>> pins) {
    this.pins = pins;
  }

  /** The project's pins plus, when MIGRATE_EXTRA_CHECKSUMS names a file, the user's. */
  public static PinnedChecksums load() {
    Map<String, Map<String, String>> pins = new TreeMap<>();
    try (InputStream in = PinnedChecksums.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the launcher's class path");
      }
      parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE, pins);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String extra = System.getenv(EXTRA_VARIABLE);
    if (extra != null && !extra.isBlank()) {
      Path file = Path.of(extra);
      try {
        parse(Files.readString(file), file.toString(), pins);
      } catch (IOException e) {
        throw new UserError("cannot read " + EXTRA_VARIABLE + "=" + file + ": " + e.getMessage());
      }
    }
    return new PinnedChecksums(pins);
  }

  static void parse(String text, String origin, Map<String, Map<String, String>> into) {
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length != 3 || fields[0].split(":").length != 4 || !(fields[1].equals("sha512") || fields[1].equals("sha1"))
          || !fields[2].matches("[0-9a-fA-F]+")) {
        throw new UserError(origin + " line " + (i + 1) + " should read 'group:artifact:version:type sha512|sha1 hex', found: " + line);
      }
      String previous = into.computeIfAbsent(fields[0], k -> new LinkedHashMap<>()).put(fields[1], fields[2].toLowerCase());
      if (previous != null && !previous.equals(fields[2].toLowerCase())) {
        throw new UserError(origin + " line " + (i + 1) + " pins " + fields[0] + " to another " + fields[1] + " than an earlier line");
      }
    }
  }

  /**
   * Fails, saying which versions are pinned and how to vouch for another, when nothing is pinned for these
   * coordinates; checked before a download so that an unpinned artifact is never fetched.
   */
  public void requirePinned(String coordinates) {
    if (!pins.containsKey(coordinates)) {
      String[] p = coordinates.split(":");
      throw new UserError("no checksum is pinned for " + coordinates + ", so the launcher will not run it (pinned "
          + p[1] + " versions: " + String.join(", ", versionsOf(p[0], p[1], p[3])) + "). Choose a pinned version, or "
          + "vouch for this one yourself: put a line '" + coordinates + " sha512 <hex>' in a file and set " + EXTRA_VARIABLE
          + " to it (launcher/pin-checksum.sh prints such lines)");
    }
  }

  /** Versions pinned for group:artifact:*:type, in version order, for error messages. */
  public List<String> versionsOf(String groupId, String artifactId, String type) {
    List<String> versions = new ArrayList<>();
    pins.keySet().forEach(c -> {
      String[] p = c.split(":");
      if (p[0].equals(groupId) && p[1].equals(artifactId) && p[3].equals(type)) {
        versions.add(p[2]);
      }
    });
    versions.sort(PinnedChecksums::compareVersions);
    return versions;
  }

  /**
   * Checks {@code file} against every checksum pinned for {@code coordinates}; throws a UserError that says what to do
   * when nothing is pinned or a checksum differs.
   */
  public void verify(String coordinates, Path file) {
    requirePinned(coordinates);
    Map<String, String> expected = pins.get(coordinates);
    Map<String, String> actual = digests(file, expected.keySet());
    for (Map.Entry<String, String> pin : expected.entrySet()) {
      String found = actual.get(pin.getKey());
      if (!pin.getValue().equals(found)) {
        throw new UserError(file + " is not the " + coordinates + " the project pinned: its " + pin.getKey().toUpperCase()
            + " is " + found + ", expected " + pin.getValue() + ". Delete the file and download it again; if it persists, "
            + "whatever serves your downloads (MIGRATE_MAVEN_REPOSITORY, a proxy) is handing out a different file");
      }
    }
  }

  /**
   * Checks a jar a build put on a class path (named artifactId-version.jar, as Maven copies them) against the pin
   * for the artifact of that name.
   */
  public void verifyJar(Path jar) {
    String fileName = jar.getFileName().toString();
    String coordinates = null;
    for (String candidate : pins.keySet()) {
      String[] p = candidate.split(":");
      if ((p[1] + "-" + p[2] + "." + p[3]).equals(fileName)) {
        coordinates = candidate;
        break;
      }
    }
    if (coordinates == null) {
      throw new UserError("no checksum is pinned for " + jar + ", so it will not be run. If the project's build changed "
          + "that dependency, pin it (launcher/pin-checksum.sh GROUP:ARTIFACT:VERSION:jar >> " + RESOURCE + ")");
    }
    verify(coordinates, jar);
  }

  private static Map<String, String> digests(Path file, Iterable<String> algorithms) {
    Map<String, MessageDigest> digests = new LinkedHashMap<>();
    for (String algorithm : algorithms) {
      digests.put(algorithm, messageDigest(algorithm));
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        for (MessageDigest digest : digests.values()) {
          digest.update(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      throw new UserError("cannot read " + file + " to check its checksum: " + e.getMessage());
    }
    Map<String, String> hex = new LinkedHashMap<>();
    digests.forEach((algorithm, digest) -> hex.put(algorithm, HexFormat.of().formatHex(digest.digest())));
    return hex;
  }

  private static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = x[i].matches("\\d+") && y[i].matches("\\d+") ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]))
          : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }
}
