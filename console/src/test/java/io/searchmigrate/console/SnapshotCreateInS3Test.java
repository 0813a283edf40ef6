package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.json.Json;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.ScriptedHttpServer.Reply;
import io.searchmigrate.testkit.TestClusters;
import org.junit.jupiter.api.Test;

/**
 * {@code snapshot create --repo s3://...}. No build of the repository-s3 plugin is served to this project's machines,
 * so the registration request is checked against a scripted source, and the error for a source without the plugin
 * against a real Elasticsearch 7.10.2.
 */
class SnapshotCreateInS3Test {
  @Test
  void theRepositoryIsRegisteredWithBucketBasePathAndTheEndpointsSettings() {
    try (ScriptedHttpServer source = ScriptedHttpServer.start((n, request) -> switch (request.method() + " " + request.pathAndQuery()) {
      case "GET /" -> Reply.json(200, "{\"version\":{\"number\":\"7.10.2\"}}");
      case "PUT /_snapshot/to_s3" -> Reply.json(200, "{\"acknowledged\":true}");
      case "PUT /_snapshot/to_s3/snap-1" -> Reply.json(200, "{\"accepted\":true}");
      case "GET /_snapshot/to_s3/snap-1/_status" -> Reply.json(200, "{\"snapshots\":[{\"snapshot\":\"snap-1\",\"state\":\"STARTED\","
          + "\"shards_stats\":{\"done\":0,\"failed\":0,\"total\":2},\"stats\":{}}]}");
      default -> Reply.json(404, "{}");
    })) {
      ConsoleRun run = ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo", "s3://backups/prod/es7",
          "--s3-endpoint", "https://minio.example:9000", "--s3-region", "eu-west-1", "--repo-name", "to_s3", "--snapshot", "snap-1");
      assertEquals(0, run.exitCode, run::toString);
      assertTrue(run.err.contains("registered repository 'to_s3' at s3://backups/prod/es7 on " + source.url()), run::toString);
      ScriptedHttpServer.Request register = source.requests().stream()
          .filter(r -> r.method().equals("PUT") && r.pathAndQuery().equals("/_snapshot/to_s3")).findFirst().orElseThrow();
      assertEquals(Json.parse("{\"type\":\"s3\",\"settings\":{\"bucket\":\"backups\",\"base_path\":\"prod/es7\",\"region\":\"eu-west-1\","
          + "\"endpoint\":\"minio.example:9000\",\"protocol\":\"https\",\"path_style_access\":true}}"), Json.parse(register.body()));
    }
  }

  @Test
  void aSourceWithoutTheS3PluginIsExplained() {
    String source = TestClusters.elasticsearch("7.10.2").url();
    ConsoleRun run = ConsoleRun.of("snapshot", "create", "--source", source, "--repo", "s3://backups/es7", "--repo-name",
        "s3_without_plugin", "--snapshot", "never");
    assertEquals(Migrate.USER_ERROR, run.exitCode, run::toString);
    assertTrue(run.err.startsWith("error: the source cannot write to S3: it has no repository-s3 plugin (it said: "), run::toString);
    assertTrue(run.err.contains("repository type [s3] does not exist"), run::toString);
    assertTrue(run.err.contains("or snapshot to a filesystem repository with --repo-path and copy it to s3://backups/es7"), run::toString);

    ConsoleRun both = ConsoleRun.of("snapshot", "create", "--source", source, "--repo", "s3://backups/es7", "--repo-path", "/x",
        "--snapshot", "never");
    assertEquals(Migrate.USER_ERROR, both.exitCode, both::toString);
    assertEquals("error: give the repository once: --repo-path DIR (a folder on the source) or --repo s3://bucket/prefix",
        both.err.strip());
  }
}
