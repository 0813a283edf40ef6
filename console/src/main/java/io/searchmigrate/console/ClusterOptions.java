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

  /** {@code --<role>-auth/-region/-service} as pipeline options ({@code --targetAuth=sigv4}); never credentials. */
  static List<String> authPipelineArgs(String role, String auth, String region, String service) {
    List<String> args = new ArrayList<>();
    if (auth != null) {
      args.add("--" + role + "Auth=" + auth);
    }
    if (region != null) {
      args.add("--" + role + "Region=" + region);
    }
    if (service != null) {
      args.add("--" + role + "Service=" + service);
    }
    return args;
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

    @Option(names = "--source-auth", paramLabel = "basic|sigv4", description = "sigv4: sign every request with AWS SigV4 "
        + "(Amazon OpenSearch Service, OpenSearch Serverless), credentials from the AWS default chain; exclusive with "
        + "--source-user (default: basic when --source-user is given)")
    String auth;

    @Option(names = "--source-region", paramLabel = "REGION", description = "with --source-auth sigv4: the source's AWS region "
        + "(default: AWS_REGION or the profile's)")
    String region;

    @Option(names = "--source-service", paramLabel = "es|aoss", description = "with --source-auth sigv4: es (a managed domain, "
        + "default) or aoss (OpenSearch Serverless)")
    String service;

    ClusterEndpoint endpoint() {
      ClusterEndpoint.requireOneAuth("source", user, auth);
      return ClusterOptions.endpoint("source", url, user, passwordEnv, passwordFile, caCert, insecure)
          .withAuth("source", auth, region, service);
    }

    /** The flags as pipeline options (no password: only where to find it). */
    List<String> pipelineArgs() {
      endpoint(); // the same checks as every other command, before the pipeline starts
      List<String> args = new ArrayList<>(ClusterOptions.pipelineArgs("source", url, user, passwordEnv, passwordFile, caCert, insecure));
      args.addAll(authPipelineArgs("source", auth, region, service));
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

    @Option(names = "--target-auth", paramLabel = "basic|sigv4", description = "sigv4: sign every request with AWS SigV4 "
        + "(Amazon OpenSearch Service, OpenSearch Serverless), credentials from the AWS default chain; exclusive with "
        + "--target-user (default: basic when --target-user is given)")
    String auth;

    @Option(names = "--target-region", paramLabel = "REGION", description = "with --target-auth sigv4: the target's AWS region "
        + "(default: AWS_REGION or the profile's)")
    String region;

    @Option(names = "--target-service", paramLabel = "es|aoss", description = "with --target-auth sigv4: es (a managed domain, "
        + "default) or aoss (OpenSearch Serverless)")
    String service;

    ClusterEndpoint endpoint() {
      ClusterEndpoint.requireOneAuth("target", user, auth);
      return ClusterOptions.endpoint("target", url, user, passwordEnv, passwordFile, caCert, insecure)
          .withAuth("target", auth, region, service);
    }

    /** The same flags as pipeline options ({@code --target=...}); a password is never one, only where to read it. */
    List<String> pipelineArgs() {
      endpoint(); // the same checks as every other command, before the pipeline starts
      List<String> args = new ArrayList<>(ClusterOptions.pipelineArgs("target", url, user, passwordEnv, passwordFile, caCert, insecure));
      args.addAll(authPipelineArgs("target", auth, region, service));
      return args;
    }
  }
}
