package io.searchmigrate.console;

import io.searchmigrate.snapshot.blob.RepositoryLocation;
import io.searchmigrate.snapshot.s3.S3Access;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --s3-region} and {@code --s3-endpoint}: how to reach S3 for {@code s3://} locations, the same flags in every
 * command. Credentials come from the AWS default provider chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/
 * AWS_SESSION_TOKEN, AWS_PROFILE, web identity, instance or container role), never from flags.
 */
final class S3Flags {
  @Option(names = "--s3-region", paramLabel = "REGION", description = "region of the S3 bucket (default: AWS_REGION or the "
      + "profile's; us-east-1 with --s3-endpoint)")
  String region;

  @Option(names = "--s3-endpoint", paramLabel = "URL", description = "an S3-compatible store's endpoint, addressed "
      + "path-style, e.g. http://127.0.0.1:9000 (default: AWS)")
  String endpoint;

  S3Access access() {
    return S3Access.defaults().withRegion(region).withEndpoint(endpoint);
  }

  /** The repository {@code --repo} names, reached through S3 as these flags say. */
  RepositoryLocation repository(String repo) {
    return RepositoryLocation.of(repo).withS3(access());
  }

  /** The flags as pipeline options. */
  List<String> pipelineArgs() {
    access(); // the same checks as everywhere else, before a pipeline starts
    List<String> args = new ArrayList<>();
    if (region != null) {
      args.add("--s3Region=" + region);
    }
    if (endpoint != null) {
      args.add("--s3Endpoint=" + endpoint);
    }
    return args;
  }
}
