package io.searchmigrate.snapshot.s3;

import io.searchmigrate.common.UserError;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How to reach S3: a region and, for S3-compatible stores, an endpoint addressed path-style. Credentials are not part
 * of it: every client resolves them where it runs, from the AWS default provider chain (environment, system
 * properties, profile, web identity, container and instance roles), so this object may travel to workers and be
 * logged without carrying a secret.
 *
 * <pre>{@code
 * S3Access access = S3Access.defaults().withRegion("eu-west-1");              // AWS
 * S3Access local = S3Access.defaults().withEndpoint("http://127.0.0.1:9000"); // an S3-compatible store
 * try (S3Client s3 = access.client()) { ... }
 * }</pre>
 */
public final class S3Access implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The region S3-compatible stores are signed for when none is given. */
  private static final String DEFAULT_COMPATIBLE_REGION = "us-east-1";

  private final String region;
  private final String endpoint;

  private S3Access(String region, String endpoint) {
    this.region = region;
    this.endpoint = endpoint;
  }

  /** The region from the AWS default chain (AWS_REGION, profile), AWS's own endpoints. */
  public static S3Access defaults() {
    return new S3Access(null, null);
  }

  /** The bucket's region; null: from AWS_REGION or the profile (us-east-1 for a custom endpoint). */
  public S3Access withRegion(String awsRegion) {
    return new S3Access(awsRegion == null || awsRegion.isBlank() ? null : awsRegion.strip(), endpoint);
  }

  /** An S3-compatible store at this URL (path-style requests: http://host:port/bucket/key); null: AWS. */
  public S3Access withEndpoint(String url) {
    if (url == null || url.isBlank()) {
      return new S3Access(region, null);
    }
    try {
      URI uri = new URI(url.strip());
      if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
        throw new URISyntaxException(url, "not http(s)://host[:port]");
      }
      if (uri.getRawUserInfo() != null) {
        throw new UserError("the S3 endpoint must not carry credentials in its URL; they come from the AWS default chain "
            + "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, or a role)");
      }
    } catch (URISyntaxException e) {
      throw new UserError("--s3-endpoint '" + url + "' is not a URL; expected http(s)://host:port of an S3-compatible store");
    }
    return new S3Access(region, url.strip().replaceAll("/+$", ""));
  }

  public String region() {
    return region;
  }

  public String endpoint() {
    return endpoint;
  }

  /** The region requests are signed for. */
  Region resolveRegion() {
    if (region != null) {
      return Region.of(region);
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      if (endpoint != null) {
        return Region.of(DEFAULT_COMPATIBLE_REGION);
      }
      throw new UserError("the S3 region is unknown: give --s3-region (the bucket's region, e.g. us-east-1) or set AWS_REGION");
    }
  }

  /**
   * A client for these settings. Checksums are computed only where S3 requires them, so S3-compatible stores that do
   * not know the newer checksum trailers work too; the SDK's own retries stay on (S3Calls adds more).
   */
  public S3Client client() {
    var builder = S3Client.builder()
        .region(resolveRegion())
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
    }
    return builder.build();
  }

  /** Where requests go, for messages: the endpoint, or AWS and the region. */
  public String describe() {
    return endpoint != null ? endpoint : "AWS S3" + (region != null ? " in " + region : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof S3Access other && Objects.equals(region, other.region) && Objects.equals(endpoint, other.endpoint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(region, endpoint);
  }

  @Override
  public String toString() {
    return describe();
  }
}
