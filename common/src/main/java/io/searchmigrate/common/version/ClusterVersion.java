package io.searchmigrate.common.version;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import java.io.Serializable;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search engine and its version, e.g. Elasticsearch 7.10.2 or OpenSearch 2.19.1: the project's one
 * version-detection helper.
 *
 * <pre>{@code
 * ClusterVersion v = ClusterVersion.detect(client);         // asks the cluster
 * if (v.isElasticsearch() && v.major() < 7) { ... }
 * ClusterVersion os = ClusterVersion.parse("OS 2.19.1");     // or "opensearch 2.19.1", "ES_7.10"
 * }</pre>
 */
public final class ClusterVersion implements Comparable<ClusterVersion>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern TEXT = Pattern.compile(
      "(?i)\\s*(es|elasticsearch|os|opensearch)?[\\s_-]*v?(\\d+)(?:\\.(\\d+|x))?(?:\\.(\\d+|x))?.*");

  /** Which engine. */
  public enum Flavor {
    ELASTICSEARCH("Elasticsearch"), OPENSEARCH("OpenSearch");

    private final String displayName;

    Flavor(String displayName) {
      this.displayName = displayName;
    }

    public String displayName() {
      return displayName;
    }
  }

  private final Flavor flavor;
  private final int major;
  private final int minor;
  private final int patch;

  public ClusterVersion(Flavor flavor, int major, int minor, int patch) {
    this.flavor = Objects.requireNonNull(flavor);
    this.major = major;
    this.minor = minor;
    this.patch = patch;
  }

  public static ClusterVersion elasticsearch(String version) {
    return parse("ES " + version);
  }

  public static ClusterVersion opensearch(String version) {
    return parse("OS " + version);
  }

  /** Parses "ES 7.10.2", "opensearch 2.19", "OS_2.x"; a bare number means Elasticsearch. */
  public static ClusterVersion parse(String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new UserError("'" + text + "' is not a version; expected for example 'ES 7.10.2' or 'OS 2.19.1'");
    }
    String engine = m.group(1) == null ? "es" : m.group(1).toLowerCase(Locale.ROOT);
    Flavor flavor = engine.startsWith("o") ? Flavor.OPENSEARCH : Flavor.ELASTICSEARCH;
    return new ClusterVersion(flavor, Integer.parseInt(m.group(2)), number(m.group(3)), number(m.group(4)));
  }

  private static int number(String part) {
    return part == null || part.equalsIgnoreCase("x") ? 0 : Integer.parseInt(part);
  }

  /**
   * Asks a cluster what it is. Uses {@code GET /}; falls back to the nodes info API for distributions that
   * lack the root endpoint (the Elasticsearch 8 integration-test zip answers 405 there).
   */
  public static ClusterVersion detect(ClusterClient client) {
    ClusterResponse root = client.get("/");
    if (root.isSuccess()) {
      JsonNode version = root.json().path("version");
      String number = version.path("number").asText(null);
      if (number == null) {
        throw new UserError(client.endpoint().url() + " answered GET / without a version number; is it an "
            + "Elasticsearch or OpenSearch cluster?");
      }
      boolean opensearch = "opensearch".equalsIgnoreCase(version.path("distribution").asText(""));
      return parse((opensearch ? "OS " : "ES ") + number);
    }
    if (root.status() == 401 || root.status() == 403) {
      throw new UserError(client.endpoint().url() + " refused the request (HTTP " + root.status()
          + "): " + client.endpoint().credentialsAdvice());
    }
    ClusterResponse nodes = client.get("/_nodes/_local?filter_path=nodes.*.version,nodes.*.build_type");
    if (nodes.isSuccess()) {
      Iterator<JsonNode> it = nodes.json().path("nodes").elements();
      if (it.hasNext()) {
        String number = it.next().path("version").asText();
        return parse("ES " + number);
      }
    }
    throw new UserError("cannot tell what " + client.endpoint().url() + " is: GET / answered HTTP " + root.status()
        + " (" + root.errorReason() + "), where Elasticsearch and OpenSearch answer with their version. Check that the URL "
        + "points at the cluster's HTTP port (9200 by default), not at another service or a path below it");
  }

  public Flavor flavor() {
    return flavor;
  }

  public boolean isElasticsearch() {
    return flavor == Flavor.ELASTICSEARCH;
  }

  public boolean isOpenSearch() {
    return flavor == Flavor.OPENSEARCH;
  }

  public int major() {
    return major;
  }

  public int minor() {
    return minor;
  }

  public int patch() {
    return patch;
  }

  /** True when this is the same flavor and at least major.minor. */
  public boolean isAtLeast(Flavor f, int otherMajor, int otherMinor) {
    return flavor == f && (major > otherMajor || (major == otherMajor && minor >= otherMinor));
  }

  /** The version number alone, e.g. "7.10.2". */
  public String number() {
    return major + "." + minor + "." + patch;
  }

  @Override
  public int compareTo(ClusterVersion o) {
    int c = flavor.compareTo(o.flavor);
    if (c == 0) {
      c = Integer.compare(major, o.major);
    }
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterVersion && compareTo((ClusterVersion) o) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(flavor, major, minor, patch);
  }

  @Override
  public String toString() {
    return flavor.displayName() + " " + number();
  }
}
