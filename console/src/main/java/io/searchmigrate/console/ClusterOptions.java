package io.searchmigrate.console;

import io.searchmigrate.common.http.ClusterEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How to reach the source and the target: the same flag names in every command. Passwords come from an
 * environment variable or a file, never from the command line (where they would show in process lists).
 */
final class ClusterOptions {
  private ClusterOptions() {}

  static ClusterEndpoint endpoint(String role, String url, String user, String passwordEnv, Path passwordFile, Path caCert,
      boolean insecure) {
    return ClusterEndpoint.describe(role, url, user, passwordEnv, passwordFile == null ? null : passwordFile.toString(),
        caCert == null ? null : caCert.toString(), insecure);
  }

  /** A cluster's flags as pipeline options ({@code --targetUser=...}); never the password, only where to find it. */
  static List<String> pipelineArgs(String role, String url, String user, String passwordEnv, Path passwordFile, Path caCert,
      boolean insecure) {
    List<String> args = new ArrayList<>(List.of("--" + role + "=" + url));
    if (user != null) {
      args.add("--" + role + "User=" + user);
    }
    if (passwordEnv != null) {
      args.add("--" + role + "PasswordEnv=" + passwordEnv);
    }
    if (passwordFile != null) {
      args.add("--" + role + "PasswordFile=" + passwordFile.toAbsolutePath());
    }
    if (caCert != null) {
      args.add("--" + role + "CaCert=" + caCert.toAbsolutePath());
    }
    if (insecure) {
      args.add("--" + role + "Insecure=true");
    }
    return args;
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

    /** The flags as pipeline options (no password: only where to find it). */
    List<String> pipelineArgs() {
      endpoint(); // the same checks as every other command, before the pipeline starts
      return ClusterOptions.pipelineArgs("source", url, user, passwordEnv, passwordFile, caCert, insecure);
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

    /** The same flags as pipeline options ({@code --target=...}); a password is never one, only where to read it. */
    List<String> pipelineArgs() {
      endpoint(); // the same checks as every other command, before the pipeline starts
      return ClusterOptions.pipelineArgs("target", url, user, passwordEnv, passwordFile, caCert, insecure);
    }
  }
}
