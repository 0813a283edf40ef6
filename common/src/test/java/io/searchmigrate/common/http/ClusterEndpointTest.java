package io.searchmigrate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.version.ClusterVersion;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Endpoints never reveal credentials; versions parse from what users type. */
class ClusterEndpointTest {
  @Test
  void credentialsInTheUrlAreTakenOutAndNeverPrinted() throws Exception {
    ClusterEndpoint endpoint = ClusterEndpoint.of("https://admin:s3cr%40t@search.example:9243/");
    assertEquals("https://search.example:9243", endpoint.url());
    assertEquals("admin", endpoint.username());
    assertEquals("s3cr@t", endpoint.password().reveal());
    assertEquals("https://search.example:9243 (user admin)", endpoint.toString());
    assertEquals("****", endpoint.password().toString());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(endpoint);
    }
    assertFalse(endpoint.toString().contains("s3cr"));
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
