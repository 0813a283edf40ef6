package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.http.SigV4;
import io.searchmigrate.testkit.Fixtures;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestS3;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Clusters that take only AWS SigV4-signed requests: a relay in front of real clusters checks every request's
 * signature (recomputed with the SDK from what it received, with the known test keys the AWS default chain of this
 * JVM is given) and forwards only those that verify; and s3proxy's own SigV4 verification accepts the client's
 * signatures.
 */
class SigV4ClustersTest {
  private static final String KEY_ID = "AKIDTESTSIGV4";
  private static final String SECRET = "test-secret-for-sigv4-0123456789";
  private static final String TOKEN = "test-session-token";
  private static final String REGION = "eu-west-1";

  /** The test's keys, where the AWS default chain looks first (system properties). */
  private static void useKeys(String keyId, String secret, String token) {
    System.setProperty("aws.accessKeyId", keyId);
    System.setProperty("aws.secretAccessKey", secret);
    if (token == null) {
      System.clearProperty("aws.sessionToken");
    } else {
      System.setProperty("aws.sessionToken", token);
    }
  }

  @AfterEach
  void forgetKeys() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    System.clearProperty("aws.sessionToken");
  }

  /** Checks signatures as the service would; counts what verified and what did not. */
  static final class Verifier implements BiFunction<Integer, ScriptedHttpServer.Request, ScriptedHttpServer.Reply> {
    final AtomicInteger verified = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private final String service;

    Verifier(String service) {
      this.service = service;
    }

    @Override
    public ScriptedHttpServer.Reply apply(Integer n, ScriptedHttpServer.Request request) {
      String problem = problem(request);
      if (problem == null) {
        verified.incrementAndGet();
        return null; // relayed to the real cluster
      }
      refused.incrementAndGet();
      return ScriptedHttpServer.Reply.json(403, "{\"message\":\"" + problem + "\"}");
    }

    private String problem(ScriptedHttpServer.Request request) {
      String authorization = request.header("authorization");
      String amzDate = request.header("x-amz-date");
      if (authorization == null || amzDate == null) {
        return "Missing Authentication Token";
      }
      byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
      if (!sha256(body).equals(request.header("x-amz-content-sha256"))) {
        return "The payload hash does not match the body";
      }
      AwsCredentials keys = request.header("x-amz-security-token") == null ? AwsBasicCredentials.create(KEY_ID, SECRET)
          : AwsSessionCredentials.create(KEY_ID, SECRET, TOKEN);
      Instant signedAt = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).parse(amzDate, Instant::from);
      SdkHttpRequest.Builder received = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(request.method()))
          .uri(URI.create("http://" + request.header("host") + request.pathAndQuery()));
      String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]*),.*", "$1");
      for (String name : signedHeaders.split(";")) {
        if (!List.of("host", "x-amz-date", "x-amz-security-token").contains(name) && request.header(name) != null) {
          received.putHeader(name, request.header(name));
        }
      }
      String expected = AwsV4HttpSigner.create().sign(r -> r
              .identity(StaticCredentialsProvider.create(keys).resolveCredentials())
              .request(received.build())
              .payload(ContentStreamProvider.fromByteArray(body))
              .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
              .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
              .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
          .request().firstMatchingHeader("Authorization").orElseThrow();
      return expected.equals(authorization) ? null : "The request signature we calculated does not match the signature you provided";
    }

    private static String sha256(byte[] data) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void aBackfillIntoASigV4TargetSignsEveryRequestWithTemporaryCredentials() {
    useKeys(KEY_ID, SECRET, TOKEN);
    ClusterClient target = ClusterClient.connect(TestClusters.opensearchWithModules("2.19.1").endpoint());
    List<String> indices = List.of("test_updates_deletes");
    indices.forEach(index -> target.delete("/" + index));
    Verifier verifier = new Verifier("es");
    try (ScriptedHttpServer signedTarget = ScriptedHttpServer.relay(TestTargets.url(), verifier)) {
      ConsoleRun run = ConsoleRun.of("backfill", "--repo", Fixtures.snapshot("ES_7_10_Updates_Deletes_w_Soft").toString(),
          "--snapshot", "rfs_snapshot", "--target", signedTarget.url(), "--target-auth", "sigv4", "--target-region", REGION);
      assertEquals(0, run.exitCode, run::toString);
      assertTrue(run.out.contains("result: OK, every document read was written"), run::toString);
      assertEquals(0, verifier.refused.get(), "every request verified");
      assertEquals(signedTarget.requests().size(), verifier.verified.get());
      assertTrue(signedTarget.requests().stream().anyMatch(r -> r.pathAndQuery().startsWith("/_bulk")), "bulk requests signed too");
      assertTrue(signedTarget.requests().stream().allMatch(r -> TOKEN.equals(r.header("x-amz-security-token"))));
      assertTrue(signedTarget.requests().stream().noneMatch(r -> r.toString().contains(SECRET)), "the secret never travels");
      assertEquals(List.of("complexdoc", "unchangeddoc", "updateddoc"),
          List.copyOf(SourceWorkload.documents(target, "test_updates_deletes").keySet()));
    } finally {
      indices.forEach(index -> target.delete("/" + index));
    }
  }

  @Test
  void aSigV4SourceIsReadSigned() {
    useKeys(KEY_ID, SECRET, null);
    Verifier verifier = new Verifier("es");
    try (ScriptedHttpServer signedSource = ScriptedHttpServer.relay(TestClusters.elasticsearch("7.10.2").url(), verifier)) {
      ConsoleRun run = ConsoleRun.of("clusters", "check", "--source", signedSource.url(), "--source-auth", "sigv4",
          "--source-region", REGION);
      assertEquals(0, run.exitCode, run::toString);
      assertTrue(run.out.contains("Elasticsearch 7.10.2"), run::toString);
      assertTrue(verifier.verified.get() > 0);
      assertEquals(0, verifier.refused.get());
    }
  }

  @Test
  void wrongKeysAndMixedAuthAreRefusedClearly() {
    useKeys(KEY_ID, "not-the-secret", null);
    Verifier verifier = new Verifier("es");
    try (ScriptedHttpServer signedTarget = ScriptedHttpServer.relay(TestTargets.url(), verifier)) {
      ConsoleRun run = ConsoleRun.of("clusters", "check", "--target", signedTarget.url(), "--target-auth", "sigv4",
          "--target-region", REGION);
      assertTrue(run.exitCode != 0, run::toString);
      assertTrue((run.out + run.err).contains("403"), run::toString);
      assertTrue(!(run.out + run.err).contains("not-the-secret"), "the secret is never printed: " + run);
      assertEquals(0, verifier.verified.get());
    }
    ConsoleRun mixed = ConsoleRun.of("clusters", "check", "--target", TestTargets.url(), "--target-user", "admin",
        "--target-password-env", "NO_SUCH_VARIABLE_NEEDED", "--target-auth", "sigv4");
    assertEquals(Migrate.USER_ERROR, mixed.exitCode, mixed::toString);
    assertTrue(mixed.err.contains("basic auth and AWS SigV4 are exclusive"), mixed::toString);
  }

  @Test
  void s3proxysOwnVerificationAcceptsTheClientsSignatures() {
    String bucket = "sigv4-check";
    try (var s3 = TestS3.client()) {
      TestS3.createBucket(s3, bucket);
    }
    ClusterEndpoint signedForS3 = ClusterEndpoint.of(TestS3.endpoint()).withSigV4(new SigV4("us-east-1", "s3"));
    useKeys(TestS3.shared().identity(), TestS3.shared().credential(), null);
    ClusterResponse listing = ClusterClient.connect(signedForS3).get("/" + bucket + "?list-type=2&prefix=a%20b");
    assertEquals(200, listing.status(), listing::toString);
    assertTrue(new String(listing.body(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).contains("<listbucketresult"));
    useKeys(TestS3.shared().identity(), "wrong", null);
    assertEquals(403, ClusterClient.connect(signedForS3).get("/" + bucket + "?list-type=2").status(), "a bad signature is refused");
  }
}
