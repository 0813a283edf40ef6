package io.searchmigrate.common.http;

import io.searchmigrate.common.UserError;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Signs cluster requests with AWS SigV4 using the SDK's own signer, with credentials from the AWS default provider
 * chain resolved on every request (the chain caches and refreshes them, so temporary role credentials roll over).
 * The SDK signs the payload's SHA-256 and sends it as {@code x-amz-content-sha256} (OpenSearch Serverless requires it);
 * session tokens travel as {@code X-Amz-Security-Token}.
 *
 * <pre>{@code
 * SigV4Signer signer = SigV4Signer.withDefaultCredentials(new SigV4("us-east-1", "es"));
 * Map<String, String> headers = signer.sign("POST", uri, Map.of("Content-Type", "application/json"), body);
 * }</pre>
 */
public final class SigV4Signer {
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private final SigV4 signing;
  private final AwsCredentialsProvider credentials;
  private final Clock clock;

  SigV4Signer(SigV4 signing, AwsCredentialsProvider credentials, Clock clock) {
    this.signing = signing;
    this.credentials = credentials;
    this.clock = clock;
  }

  /** A signer for the default credentials chain of this machine. */
  public static SigV4Signer withDefaultCredentials(SigV4 signing) {
    return new SigV4Signer(signing, DefaultCredentialsProvider.builder().build(), Clock.systemUTC());
  }

  /** AWS_REGION or the profile's region, or null. */
  static String defaultRegion() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (SdkClientException e) {
      return null;
    }
  }

  /**
   * The headers to add to a request so that it carries a valid signature: {@code Authorization}, {@code X-Amz-Date},
   * the payload hash and, for temporary credentials, the session token. {@code headers} are the request's own headers
   * that are signed too (Content-Type).
   */
  public Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body) {
    byte[] payload = body == null ? new byte[0] : body;
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    headers.forEach(request::putHeader);
    AwsCredentialsIdentity identity;
    try {
      identity = credentials.resolveCredentials();
    } catch (SdkClientException e) {
      throw new UserError("no AWS credentials were found to sign requests (" + signing + "): set AWS_ACCESS_KEY_ID and "
          + "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), or AWS_PROFILE, or run where a role provides them", e);
    }
    SignedRequest signed = SIGNER.sign(r -> r.identity(identity)
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArrayUnsafe(payload))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signing.service())
        .putProperty(AwsV4HttpSigner.REGION_NAME, signing.region())
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
    Map<String, String> added = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      String name = header.getKey();
      // the HTTP client sets Host itself (to the same value); what the caller gave is sent already
      if (!name.equalsIgnoreCase("host") && headers.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
        added.put(name, String.join(",", header.getValue()));
      }
    }
    return added;
  }
}
