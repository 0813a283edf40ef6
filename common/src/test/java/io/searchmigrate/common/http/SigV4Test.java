package io.searchmigrate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.UserError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The SigV4 signing of cluster requests: the AWS SigV4 test suite's vectors, and how endpoints choose their auth. */
class SigV4Test {
  /** The AWS Signature Version 4 test suite's fixed inputs: its example keys, region, service and instant. */
  private static final StaticCredentialsProvider SUITE_KEYS = StaticCredentialsProvider.create(
      AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
  private static final Clock SUITE_TIME = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
  private static final String SCOPE = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  @Test
  void theReferenceReproducesTheSuitesVectors() {
    Map<String, String> suiteHeaders = Map.of("host", "example.amazonaws.com", "x-amz-date", "20150830T123600Z");
    // get-vanilla, get-vanilla-query-order-key-case, post-vanilla
    assertEquals(SCOPE + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        SigV4Reference.authorization("GET", URI.create("https://example.amazonaws.com/"), suiteHeaders, new byte[0],
            "AKIDEXAMPLE", SUITE_SECRET, "us-east-1", "service"));
    assertEquals(SCOPE + "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        SigV4Reference.authorization("GET", URI.create("https://example.amazonaws.com/?Param2=value2&Param1=value1"), suiteHeaders,
            new byte[0], "AKIDEXAMPLE", SUITE_SECRET, "us-east-1", "service"));
    assertEquals(SCOPE + "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        SigV4Reference.authorization("POST", URI.create("https://example.amazonaws.com/"), suiteHeaders, new byte[0],
            "AKIDEXAMPLE", SUITE_SECRET, "us-east-1", "service"));
  }

  /**
   * The suite's requests signed by the client's signer: the SDK always signs the payload hash header too, so the
   * signatures are checked against the reference above (which reproduces the suite) with that header added.
   */
  @Test
  void theClientSignsTheSuitesRequestsAsTheReferenceDoes() {
    SigV4Signer signer = new SigV4Signer(new SigV4("us-east-1", "service"), SUITE_KEYS, SUITE_TIME);
    for (String[] request : List.of(new String[] {"GET", "https://example.amazonaws.com/"},
        new String[] {"GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1"},
        new String[] {"POST", "https://example.amazonaws.com/"},
        new String[] {"GET", "https://example.amazonaws.com/logs-2024.01,metrics%2A/_search?q=a%20b&size=10"})) {
      URI uri = URI.create(request[1]);
      Map<String, String> added = signer.sign(request[0], uri, Map.of(), null);
      assertEquals("20150830T123600Z", added.get("X-Amz-Date"));
      assertEquals(EMPTY_SHA256, added.get("x-amz-content-sha256"));
      assertEquals(SigV4Reference.authorization(request[0], uri, Map.of("host", "example.amazonaws.com", "x-amz-date",
          "20150830T123600Z", "x-amz-content-sha256", EMPTY_SHA256), new byte[0], "AKIDEXAMPLE", SUITE_SECRET, "us-east-1",
          "service"), added.get("Authorization"), request[0] + " " + request[1]);
    }
  }

  @Test
  void clusterRequestsCarryThePayloadHashAndTheSessionToken() {
    SigV4Signer signer = new SigV4Signer(new SigV4("eu-west-1", "aoss"),
        StaticCredentialsProvider.create(AwsSessionCredentials.create("AKIDEXAMPLE", SUITE_SECRET, "the-session-token")), SUITE_TIME);
    byte[] body = "{\"query\":{\"match_all\":{}}}".getBytes(StandardCharsets.UTF_8);
    URI uri = URI.create("https://abc.eu-west-1.aoss.amazonaws.com:443/idx/_search");
    Map<String, String> headers = signer.sign("POST", uri, Map.of("Content-Type", "application/json"), body);
    assertEquals("the-session-token", headers.get("X-Amz-Security-Token"));
    assertEquals(SigV4Reference.sha256Hex(body), headers.get("x-amz-content-sha256"));
    assertEquals(SigV4Reference.authorization("POST", uri, Map.of("content-type", "application/json", "host",
        "abc.eu-west-1.aoss.amazonaws.com", "x-amz-content-sha256", SigV4Reference.sha256Hex(body), "x-amz-date", "20150830T123600Z",
        "x-amz-security-token", "the-session-token"), body, "AKIDEXAMPLE", SUITE_SECRET, "eu-west-1", "aoss"), headers.get("Authorization"));
    assertTrue(!headers.containsKey("Content-Type") && !headers.containsKey("Host"), "only what the caller must add: " + headers);
  }

  @Test
  void basicAuthAndSigV4AreExclusive() {
    ClusterEndpoint basic = ClusterEndpoint.of("https://user@search.example:443");
    UserError both = assertThrows(UserError.class, () -> basic.withAuth("target", "sigv4", "us-east-1", null));
    assertEquals("basic auth and AWS SigV4 are exclusive (--target-user with --target-auth sigv4): a cluster takes one or the "
        + "other. For an Amazon OpenSearch Service domain or OpenSearch Serverless use sigv4 alone (credentials from the AWS "
        + "default chain); for a user and password, leave out --*-auth sigv4", both.getMessage());
    ClusterEndpoint signed = ClusterEndpoint.of("https://search.example").withAuth("source", "sigv4", "eu-west-1", "aoss");
    assertEquals(new SigV4("eu-west-1", "aoss"), signed.sigV4());
    assertThrows(UserError.class, () -> signed.withBasicAuth("admin", null));
    assertEquals("--source-service must be es (an Amazon OpenSearch Service domain) or aoss (OpenSearch Serverless), not 'lambda'",
        assertThrows(UserError.class, () -> ClusterEndpoint.of("https://x").withAuth("source", "sigv4", "us-east-1", "lambda")).getMessage());
    assertEquals("--target-region and --target-service go with --target-auth sigv4",
        assertThrows(UserError.class, () -> ClusterEndpoint.of("https://x").withAuth("target", null, "us-east-1", null)).getMessage());
    assertEquals("--target-auth must be basic or sigv4, not 'kerberos'",
        assertThrows(UserError.class, () -> ClusterEndpoint.of("https://x").withAuth("target", "kerberos", null, null)).getMessage());
    assertNull(ClusterEndpoint.of("https://x").withAuth("target", null, null, null).sigV4());
  }

  @Test
  void aSignedEndpointTravelsWithoutCredentials() throws Exception {
    ClusterEndpoint signed = ClusterEndpoint.of("https://search.example").withSigV4(new SigV4("us-east-1", "es"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(signed);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(signed, in.readObject());
    }
    assertEquals("https://search.example:443 (SigV4 es in us-east-1)", signed.toString());
  }
}
