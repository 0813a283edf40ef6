package io.searchmigrate.common.http;

import io.searchmigrate.common.UserError;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to reach a cluster: base URL, optional basic auth, TLS options. Immutable and serializable, so Beam
 * workers can carry it; {@link #toString()} never shows credentials.
 *
 * <pre>{@code
 * ClusterEndpoint target = ClusterEndpoint.of("https://os.example:9200")
 *     .withBasicAuth("admin", Secret.fromEnv("TARGET_PASSWORD"))
 *     .withCaCertificate("/etc/ssl/os-ca.pem");
 * }</pre>
 */
public final class ClusterEndpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String baseUrl;
  private final String username;
  private final Secret password;
  private final boolean insecure;
  private final String caCertificate;

  private ClusterEndpoint(String baseUrl, String username, Secret password, boolean insecure, String caCertificate) {
    this.baseUrl = baseUrl;
    this.username = username;
    this.password = password;
    this.insecure = insecure;
    this.caCertificate = caCertificate;
  }

  /**
   * A cluster as every command describes it: URL, an optional basic-auth user whose password comes from an environment
   * variable or a file (never from a command line, where process lists show it), CA certificate(s) to trust, and the
   * explicit TLS opt-out. {@code role} ("source", "target") names the cluster in errors.
   */
  public static ClusterEndpoint describe(String role, String url, String user, String passwordEnv, String passwordFile,
      String caCertificate, boolean insecureTls) {
    if (url == null) {
      throw new UserError("the " + role + " URL is required (--" + role + " URL)");
    }
    ClusterEndpoint endpoint;
    try {
      endpoint = of(url);
    } catch (PasswordInUrl e) {
      throw new UserError("the " + role + " URL " + e.url + " carries a password; a command line shows it to every user of "
          + "this machine. Pass --" + role + " without it, with --" + role + "-user NAME and --" + role + "-password-env VAR "
          + "(an environment variable holding the password) or --" + role + "-password-file FILE");
    }
    if (user == null) {
      user = endpoint.username();
    }
    if (user != null) {
      if (passwordEnv != null && passwordFile != null) {
        throw new UserError("give the " + role + " password once: from an environment variable or from a file, not both");
      }
      Secret password = passwordEnv != null ? Secret.fromEnv(passwordEnv)
          : passwordFile != null ? Secret.fromFile(Path.of(passwordFile)) : endpoint.password();
      endpoint = endpoint.withBasicAuth(user, password);
    }
    if (caCertificate != null) {
      endpoint = endpoint.withCaCertificate(caCertificate);
    }
    return endpoint.withInsecureTls(insecureTls);
  }

  /**
   * Parses a cluster URL. A password written into it ({@code https://user:pass@host}) is refused: process lists,
   * shell histories and logs would show it. A user name alone ({@code https://user@host}) is kept.
   */
  public static ClusterEndpoint of(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new UserError("'" + redactUserInfo(url) + "' is not a valid cluster URL; expected something like http://localhost:9200");
    }
    String scheme = uri.getScheme();
    if (scheme == null || uri.getHost() == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw new UserError("'" + redactUserInfo(url) + "' is not a valid cluster URL; expected http(s)://host:port, for example http://localhost:9200");
    }
    String user = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      if (parts.length > 1) {
        throw new PasswordInUrl(redactUserInfo(url));
      }
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    }
    int port = uri.getPort() == -1 ? (scheme.equalsIgnoreCase("https") ? 443 : 80) : uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    String base = scheme.toLowerCase() + "://" + hostForUrl(uri.getHost()) + ":" + port + path;
    return new ClusterEndpoint(base, user, null, false, null);
  }

  /** A URL that holds a password; {@link #describe} turns it into advice with the role's own flags. */
  static final class PasswordInUrl extends UserError {
    private static final long serialVersionUID = 1L;
    final String url;

    PasswordInUrl(String redactedUrl) {
      super("the cluster URL " + redactedUrl + " carries a password; a command line shows it to every user of this machine. "
          + "Give the URL without it and the password from an environment variable or a file");
      this.url = redactedUrl;
    }
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String redactUserInfo(String url) {
    return url.replaceAll("//[^/@]*@", "//****@");
  }

  public ClusterEndpoint withBasicAuth(String user, Secret secret) {
    return new ClusterEndpoint(baseUrl, user, secret, insecure, caCertificate);
  }

  /** Turns TLS certificate and host name checks off. Only on the user's explicit request. */
  public ClusterEndpoint withInsecureTls(boolean skipVerification) {
    return new ClusterEndpoint(baseUrl, username, password, skipVerification, caCertificate);
  }

  /** Trusts the PEM certificates in this file (in addition to nothing else) for this cluster. */
  public ClusterEndpoint withCaCertificate(String pemFile) {
    return new ClusterEndpoint(baseUrl, username, password, insecure, pemFile);
  }

  /** Base URL without credentials and without a trailing slash, e.g. {@code http://localhost:9200}. */
  public String url() {
    return baseUrl;
  }

  public URI resolve(String pathAndQuery) {
    String p = pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery;
    return URI.create(baseUrl + p);
  }

  public boolean isHttps() {
    return baseUrl.startsWith("https:");
  }

  public String username() {
    return username;
  }

  public Secret password() {
    return password;
  }

  public boolean insecureTls() {
    return insecure;
  }

  public String caCertificate() {
    return caCertificate;
  }

  @Override
  public String toString() {
    return baseUrl + (username != null ? " (user " + username + ")" : "");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ClusterEndpoint)) {
      return false;
    }
    ClusterEndpoint other = (ClusterEndpoint) o;
    return baseUrl.equals(other.baseUrl) && Objects.equals(username, other.username) && insecure == other.insecure
        && Objects.equals(caCertificate, other.caCertificate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(baseUrl, username, insecure, caCertificate);
  }
}
