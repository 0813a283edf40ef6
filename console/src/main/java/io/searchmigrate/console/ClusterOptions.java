package io.searchmigrate.console;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.Secret;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How to reach the source and the target: the same flag names in every command. Passwords come from an
 * environment variable or a file, never from the command line (where they would show in process lists).
 */
final class ClusterOptions {
  private ClusterOptions() {}

  static ClusterEndpoint endpoint(String role, String url, String user, String passwordEnv, Path passwordFile, Path caCert,
      boolean insecure) {
    if (url == null) {
      throw new UserError("--" + role + " URL is required");
    }
    ClusterEndpoint endpoint = ClusterEndpoint.of(url);
    if (user != null) {
      if (passwordEnv != null && passwordFile != null) {
        throw new UserError("give the " + role + " password once: --" + role + "-password-env or --" + role + "-password-file");
      }
      Secret password = passwordEnv != null ? Secret.fromEnv(passwordEnv)
          : passwordFile != null ? Secret.fromFile(passwordFile) : endpoint.password();
      endpoint = endpoint.withBasicAuth(user, password);
    }
    if (caCert != null) {
      endpoint = endpoint.withCaCertificate(caCert.toString());
    }
    return endpoint.withInsecureTls(insecure);
  }

  /** {@code --source ...} flags. */
  static final class Source {
    @Option(names = "--source", description = "source cluster URL, e.g. http://localhost:9200")
    String url;

    @Option(names = "--source-user", description = "basic-auth user for the source")
    String user;

    @Option(names = "--source-password-env", paramLabel = "VAR", description = "environment variable holding the source password")
    String passwordEnv;

    @Option(names = "--source-password-file", paramLabel = "FILE", description = "file holding the source password")
    Path passwordFile;

    @Option(names = "--source-ca-cert", paramLabel = "PEM", description = "CA certificate(s) to trust for the source")
    Path caCert;

    @Option(names = "--source-insecure", description = "do not verify the source's TLS certificate (explicit opt-out)")
    boolean insecure;

    ClusterEndpoint endpoint() {
      return ClusterOptions.endpoint("source", url, user, passwordEnv, passwordFile, caCert, insecure);
    }
  }

  /** {@code --target ...} flags. */
  static final class Target {
    @Option(names = "--target", description = "target cluster URL, e.g. http://localhost:9200")
    String url;

    @Option(names = "--target-user", description = "basic-auth user for the target")
    String user;

    @Option(names = "--target-password-env", paramLabel = "VAR", description = "environment variable holding the target password")
    String passwordEnv;

    @Option(names = "--target-password-file", paramLabel = "FILE", description = "file holding the target password")
    Path passwordFile;

    @Option(names = "--target-ca-cert", paramLabel = "PEM", description = "CA certificate(s) to trust for the target")
    Path caCert;

    @Option(names = "--target-insecure", description = "do not verify the target's TLS certificate (explicit opt-out)")
    boolean insecure;

    ClusterEndpoint endpoint() {
      return ClusterOptions.endpoint("target", url, user, passwordEnv, passwordFile, caCert, insecure);
    }
  }
}
