package io.searchmigrate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.version.ClusterVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoints never take or reveal passwords on a command line; versions parse from what users type. */
class ClusterEndpointTest {
  @Test
  void aPasswordInTheUrlIsRefusedWithTheFlagsToUseInstead() {
    UserError bare = assertThrows(UserError.class, () -> ClusterEndpoint.of("https://admin:s3cr%40t@search.example:9243/"));
    assertEquals("the cluster URL https://****@search.example:9243/ carries a password; a command line shows it to every user "
        + "of this machine. Give the URL without it and the password from an environment variable or a file", bare.getMessage());
    UserError described = assertThrows(UserError.class, () -> ClusterEndpoint.describe("target",
        "https://admin:s3cr%40t@search.example:9243/", null, null, null, null, false));
    assertEquals("the target URL https://****@search.example:9243/ carries a password; a command line shows it to every user "
        + "of this machine. Pass --target without it, with --target-user NAME and --target-password-env VAR (an environment "
        + "variable holding the password) or --target-password-file FILE", described.getMessage());
    assertFalse(described.getMessage().contains("s3cr"));
  }

  @Test
  void aUserNameInTheUrlIsKeptAndThePasswordComesFromAFile(@TempDir Path temp) throws Exception {
    Path passwordFile = temp.resolve("password");
    Files.writeString(passwordFile, "s3cr@t\n");
    ClusterEndpoint endpoint = ClusterEndpoint.describe("source", "https://admin@search.example:9243/", null, null,
        passwordFile.toString(), null, false);
    assertEquals("https://search.example:9243", endpoint.url());
    assertEquals("admin", endpoint.username());
    assertEquals("s3cr@t", endpoint.password().reveal());
    assertEquals("https://search.example:9243 (user admin)", endpoint.toString());
    assertEquals("****", endpoint.password().toString());
  }

  @Test
  void anEndpointShippedToAWorkerCarriesWhereItsPasswordIsNeverThePassword(@TempDir Path temp) throws Exception {
    Path passwordFile = temp.resolve("target-password");
    Files.writeString(passwordFile, "p4ssw0rd-on-disk\n");
    ClusterEndpoint endpoint = ClusterEndpoint.describe("target", "https://search.example:9243", "admin", null,
        passwordFile.toString(), null, false);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(endpoint);
    }
    assertFalse(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1).contains("p4ssw0rd"), "no password in the bytes");
    ClusterEndpoint shipped;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      shipped = (ClusterEndpoint) in.readObject();
    }
    assertEquals("p4ssw0rd-on-disk", shipped.password().reveal(), "read again where it is used");

    ClusterEndpoint literal = ClusterEndpoint.of("https://search.example:9243").withBasicAuth("admin", Secret.of("typed-in"));
    NotSerializableException refused = assertThrows(NotSerializableException.class,
        () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(literal));
    assertEquals("a password given as a value is never serialized (a pipeline step would carry it in clear to its workers); "
        + "give it as an environment variable or a file", refused.getMessage());
  }

  @Test
  void secretsAreReadFromTheEnvironmentOrAFileWhenAskedAndTakenLiterallyOtherwise(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("keystore-password");
    Files.writeString(file, "from-a-file\n");
    String variable = System.getenv().keySet().stream().sorted().findFirst().orElseThrow();
    assertEquals(System.getenv(variable), Secret.fromReference("env:" + variable).reveal());
    assertEquals("from-a-file", Secret.fromReference("file:" + file).reveal());
    assertEquals("plain", Secret.fromReference("plain").reveal());
    assertEquals("environment variable NO_SUCH_VARIABLE_X1 is not set; export it with the password, or use a password file",
        assertThrows(UserError.class, () -> Secret.fromReference("env:NO_SUCH_VARIABLE_X1")).getMessage());
  }

  @Test
  void badUrlsAreExplainedWithoutLeakingTheirPassword() {
    UserError e = assertThrows(UserError.class, () -> ClusterEndpoint.of("ftp://u:hunter2@host"));
    assertEquals("'ftp://****@host' is not a valid cluster URL; expected http(s)://host:port, for example http://localhost:9200",
        e.getMessage());
  }

  @Test
  void versionsParse() {
    assertEquals("Elasticsearch 7.10.2", ClusterVersion.parse("ES 7.10.2").toString());
    assertEquals("OpenSearch 2.19.0", ClusterVersion.parse("opensearch_2.19").toString());
    assertEquals("OpenSearch 2.0.0", ClusterVersion.parse("OS 2.x").toString());
    assertEquals("Elasticsearch 5.6.16", ClusterVersion.parse("5.6.16").toString());
    assertEquals("'banana' is not a version; expected for example 'ES 7.10.2' or 'OS 2.19.1'",
        assertThrows(UserError.class, () -> ClusterVersion.parse("banana")).getMessage());
  }

  @Test
  void errorReasonsIncludeTheCauseChain() {
    ClusterResponse response = new ClusterResponse("PUT", "/_snapshot/x", 500, ("{\"error\":{\"type\":\"repository_exception\","
        + "\"reason\":\"[x] failed to create repository\",\"caused_by\":{\"type\":\"repository_exception\",\"reason\":"
        + "\"[x] location [/tmp] doesn't match any of the locations specified by path.repo\"}},\"status\":500}")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals("repository_exception: [x] failed to create repository (caused by repository_exception: [x] location [/tmp] "
        + "doesn't match any of the locations specified by path.repo)", response.errorReason());
  }
}
