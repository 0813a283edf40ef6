package io.searchmigrate.launcher;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches artifacts (distributions, module jars) from Maven Central into a local cache, verifying each
 * download against its published SHA-1. A copy already in the local Maven repository is used as is.
 */
public final class MavenCentral {
  private final Path cache;
  private final String repositoryUrl;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build();

  public MavenCentral(Path cache) {
    this.cache = cache;
    String configured = System.getenv("MIGRATE_MAVEN_REPOSITORY");
    this.repositoryUrl = (configured == null || configured.isBlank()
        ? "https://repo1.maven.org/maven2" : configured).replaceAll("/+$", "");
  }

  /** Returns a local path to groupId:artifactId:version of the given type ("zip", "jar"), downloading if needed. */
  public Path fetch(String groupId, String artifactId, String version, String type) {
    String relative = groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version + "." + type;
    Path inLocalRepository = Path.of(System.getProperty("user.home"), ".m2", "repository", relative);
    if (Files.isRegularFile(inLocalRepository)) {
      return inLocalRepository;
    }
    Path target = cache.resolve(relative);
    if (Files.isRegularFile(target)) {
      return target;
    }
    String coordinates = groupId + ":" + artifactId + ":" + version + ":" + type;
    String url = repositoryUrl + "/" + relative;
    try {
      Files.createDirectories(target.getParent());
      Path partial = target.resolveSibling(target.getFileName() + ".part");
      String actualSha1 = download(url, partial, coordinates);
      String expectedSha1 = fetchText(url + ".sha1", coordinates);
      if (expectedSha1 != null && !expectedSha1.isBlank()
          && !expectedSha1.trim().split("\\s+")[0].equalsIgnoreCase(actualSha1)) {
        Files.deleteIfExists(partial);
        throw new UserError("download of " + coordinates + " is corrupt: SHA-1 " + actualSha1 + " but Maven Central publishes "
            + expectedSha1.trim() + ". Try again; if it persists, check any proxy between you and " + repositoryUrl);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UserError("cannot download " + coordinates + " from " + repositoryUrl + ": " + e.getMessage()
          + ". Check network access to Maven Central (or set MIGRATE_MAVEN_REPOSITORY to a mirror)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while downloading " + coordinates, e);
    }
  }

  private String download(String url, Path to, String coordinates) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() == 404) {
      response.body().close();
      throw new UserError(repositoryUrl + " has no " + coordinates + " (HTTP 404). Check the version: see "
          + "./migrate clusters provision --help for the versions known to work");
    }
    if (response.statusCode() != 200) {
      response.body().close();
      throw new UserError(repositoryUrl + " refused " + coordinates + " (HTTP " + response.statusCode() + ")");
    }
    try (InputStream in = new DigestInputStream(response.body(), sha1())) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    }
  }

  private String fetchText(String url, String coordinates) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return response.statusCode() == 200 ? new String(response.body(), StandardCharsets.US_ASCII) : null;
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
