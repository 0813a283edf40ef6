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
  /** Set when requests are signed with AWS SigV4 instead of basic auth. */
  private final SigV4 sigV4;

  private ClusterEndpoint(String baseUrl, String username, Secret password, boolean insecure, String caCertificate, SigV4 sigV4) {
    this.baseUrl = baseUrl;
    this.username = username;
    this.password = password;
    this.insecure = insecure;
    this.caCertificate = caCertificate;
    this.sigV4 = sigV4;
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
    return new ClusterEndpoint(base, user, null, false, null, null);
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
    if (sigV4 != null && user != null) {
      throw exclusiveAuth(null);
    }
    return new ClusterEndpoint(baseUrl, user, secret, insecure, caCertificate, sigV4);
  }

  /** Signs every request with AWS SigV4 for this region and service ({@code es} or {@code aoss}); not with basic auth. */
  public ClusterEndpoint withSigV4(SigV4 signing) {
    if (username != null && signing != null) {
      throw exclusiveAuth(null);
    }
    return new ClusterEndpoint(baseUrl, username, password, insecure, caCertificate, signing);
  }

  /**
   * Applies a role's {@code --<role>-auth basic|sigv4}, {@code --<role>-region} and {@code --<role>-service} flags.
   * Basic auth (a user and password) and SigV4 (AWS credentials from the default chain) are exclusive.
   */
  public ClusterEndpoint withAuth(String role, String auth, String region, String service) {
    String kind = auth == null ? (username != null ? "basic" : null) : auth.strip().toLowerCase(java.util.Locale.ROOT);
    if (kind == null || kind.equals("basic")) {
      if (region != null || service != null) {
        throw new UserError("--" + role + "-region and --" + role + "-service go with --" + role + "-auth sigv4");
      }
      if ("basic".equals(kind) && username == null) {
        throw new UserError("--" + role + "-auth basic needs --" + role + "-user NAME and the password from --" + role
            + "-password-env VAR or --" + role + "-password-file FILE");
      }
      return this;
    }
    if (!kind.equals("sigv4")) {
      throw new UserError("--" + role + "-auth must be basic or sigv4, not '" + auth + "'");
    }
    if (username != null) {
      throw exclusiveAuth(role);
    }
    return withSigV4(SigV4.of(role, region, service));
  }

  /** Refuses a basic-auth user together with {@code --<role>-auth sigv4}, before any password is looked up. */
  public static void requireOneAuth(String role, String user, String auth) {
    if (user != null && auth != null && auth.strip().equalsIgnoreCase("sigv4")) {
      throw exclusiveAuth(role);
    }
  }

  private static UserError exclusiveAuth(String role) {
    String flag = role == null ? "" : " (--" + role + "-user with --" + role + "-auth sigv4)";
    return new UserError("basic auth and AWS SigV4 are exclusive" + flag + ": a cluster takes one or the other. For an Amazon "
        + "OpenSearch Service domain or OpenSearch Serverless use sigv4 alone (credentials from the AWS default chain); "
        + "for a user and password, leave out --*-auth sigv4");
  }

  /** Turns TLS certificate and host name checks off. Only on the user's explicit request. */
  public ClusterEndpoint withInsecureTls(boolean skipVerification) {
    return new ClusterEndpoint(baseUrl, username, password, skipVerification, caCertificate, sigV4);
  }

  /** Trusts the PEM certificates in this file (in addition to nothing else) for this cluster. */
  public ClusterEndpoint withCaCertificate(String pemFile) {
    return new ClusterEndpoint(baseUrl, username, password, insecure, pemFile, sigV4);
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

  /** What to check when the cluster refuses this endpoint's requests (HTTP 401/403), by how they are authenticated. */
  public String credentialsAdvice() {
    if (sigV4 != null) {
      return "check the AWS credentials the default chain finds (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, "
          + "AWS_PROFILE or the role), that they may access this cluster, and the region and service (" + sigV4 + ")";
    }
    return "pass credentials with --*-user and a password option";
  }

  /** The SigV4 signing of every request, or null (basic auth or none). */
  public SigV4 sigV4() {
    return sigV4;
  }

  @Override
  public String toString() {
    return baseUrl + (username != null ? " (user " + username + ")" : "") + (sigV4 != null ? " (" + sigV4 + ")" : "");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ClusterEndpoint)) {
      return false;
    }
    ClusterEndpoint other = (ClusterEndpoint) o;
    return baseUrl.equals(other.baseUrl) && Objects.equals(username, other.username) && insecure == other.insecure
        && Objects.equals(caCertificate, other.caCertificate) && Objects.equals(sigV4, other.sigV4);
  }

  @Override
  public int hashCode() {
    return Objects.hash(baseUrl, username, insecure, caCertificate, sigV4);
  }
}
