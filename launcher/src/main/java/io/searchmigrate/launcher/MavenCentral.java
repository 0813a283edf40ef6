package io.searchmigrate.launcher;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Fetches artifacts (distributions, module jars) from Maven Central into a local cache. Every file, downloaded,
 * cached or found in the local Maven repository, is checked against the checksums pinned in the project
 * ({@link PinnedChecksums}) before it is used; an artifact with no pin is refused before any download. Only
 * https repositories are accepted.
 */
public final class MavenCentral {
  private final Path cache;
  private final String repositoryUrl;
  /** The repository as messages show it: without credentials a mirror URL may carry. */
  private final String repositoryName;
  private final PinnedChecksums pins;
  private final Path localRepository;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build();

  public MavenCentral(Path cache) {
    this(cache, Path.of(System.getProperty("user.home"), ".m2", "repository"), System.getenv("MIGRATE_MAVEN_REPOSITORY"),
        PinnedChecksums.load());
  }

  MavenCentral(Path cache, Path localRepository, String configuredRepository, PinnedChecksums pins) {
    this.cache = cache;
    this.localRepository = localRepository;
    this.pins = pins;
    this.repositoryUrl = (configuredRepository == null || configuredRepository.isBlank()
        ? "https://repo1.maven.org/maven2" : configuredRepository.strip()).replaceAll("/+$", "");
    this.repositoryName = repositoryUrl.replaceAll("//[^/@]*@", "//****@");
    if (!repositoryUrl.regionMatches(true, 0, "https://", 0, 8)) {
      throw new UserError("MIGRATE_MAVEN_REPOSITORY must be an https:// URL, found '" + repositoryName + "': over plain "
          + "HTTP anyone on the way could swap the distributions this launcher runs. Use the mirror's https address");
    }
  }

  /** Returns a local path to groupId:artifactId:version of the given type ("zip", "jar"), downloading if needed. */
  public Path fetch(String groupId, String artifactId, String version, String type) {
    String coordinates = groupId + ":" + artifactId + ":" + version + ":" + type;
    pins.requirePinned(coordinates);
    String relative = groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version + "." + type;
    Path inLocalRepository = localRepository.resolve(relative);
    if (Files.isRegularFile(inLocalRepository)) {
      pins.verify(coordinates, inLocalRepository);
      return inLocalRepository;
    }
    Path target = cache.resolve(relative);
    if (Files.isRegularFile(target)) {
      pins.verify(coordinates, target);
      return target;
    }
    String url = repositoryUrl + "/" + relative;
    Path partial = target.resolveSibling(target.getFileName() + ".part");
    try {
      Files.createDirectories(target.getParent());
      download(url, partial, coordinates);
      try {
        pins.verify(coordinates, partial);
      } catch (UserError e) {
        Files.deleteIfExists(partial);
        throw new UserError("the download of " + coordinates + " from " + repositoryName + " was refused (deleted): "
            + e.getMessage(), e);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UserError("cannot download " + coordinates + " from " + repositoryName + ": " + e.getMessage()
          + ". Check network access to Maven Central (or set MIGRATE_MAVEN_REPOSITORY to a mirror)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while downloading " + coordinates, e);
    }
  }

  private void download(String url, Path to, String coordinates) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() == 404) {
      response.body().close();
      throw new UserError(repositoryName + " has no " + coordinates + " (HTTP 404). Check the version: see "
          + "./migrate clusters provision --help for the versions known to work");
    }
    if (response.statusCode() != 200) {
      response.body().close();
      throw new UserError(repositoryName + " refused " + coordinates + " (HTTP " + response.statusCode() + ")");
    }
    try (InputStream in = response.body()) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
