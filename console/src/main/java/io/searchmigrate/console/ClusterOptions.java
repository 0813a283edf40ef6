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
      endpoint();
      List<String> args = new ArrayList<>(List.of("--source=" + url));
      if (user != null) {
        args.add("--sourceUser=" + user);
      }
      if (passwordEnv != null) {
        args.add("--sourcePasswordEnv=" + passwordEnv);
      }
      if (passwordFile != null) {
        args.add("--sourcePasswordFile=" + passwordFile.toAbsolutePath());
      }
      if (caCert != null) {
        args.add("--sourceCaCert=" + caCert.toAbsolutePath());
      }
      if (insecure) {
        args.add("--sourceInsecure=true");
      }
      return args;
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
      List<String> args = new ArrayList<>(List.of("--target=" + url));
      if (user != null) {
        args.add("--targetUser=" + user);
      }
      if (passwordEnv != null) {
        args.add("--targetPasswordEnv=" + passwordEnv);
      }
      if (passwordFile != null) {
        args.add("--targetPasswordFile=" + passwordFile.toAbsolutePath());
      }
      if (caCert != null) {
        args.add("--targetCaCert=" + caCert.toAbsolutePath());
      }
      if (insecure) {
        args.add("--targetInsecure=true");
      }
      return args;
    }
  }
}
