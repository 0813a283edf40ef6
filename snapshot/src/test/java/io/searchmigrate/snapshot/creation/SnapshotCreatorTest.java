package io.searchmigrate.snapshot.creation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.searchmigrate.common.UserError;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.ScriptedHttpServer.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the source's refusals turn into (against scripted answers in the shapes Elasticsearch gives; creating
 * snapshots on a real source is covered by the console's snapshot and demo tests).
 */
class SnapshotCreatorTest {
  @Test
  void anUnregisteredRepositoryIsNamedWithTheRegisteredOnesInNameOrder() {
    try (ScriptedHttpServer source = ScriptedHttpServer.start((n, request) -> switch (request.pathAndQuery()) {
      case "/_snapshot/migration/snap-1/_status" -> Reply.json(404, """
          {"error":{"type":"repository_missing_exception","reason":"[migration] missing"},"status":404}""");
      // the source lists repositories in its hash map's order
      case "/_snapshot" -> Reply.json(200, """
          {"zeta":{"type":"fs"},"alpha":{"type":"fs"},"mid":{"type":"fs"}}""");
      default -> Reply.json(400, "{}");
    })) {
      SnapshotCreator creator = new SnapshotCreator(source.client(), "migration");

      UserError e = assertThrows(UserError.class, () -> creator.status("snap-1"));

      assertEquals("repository 'migration' is not registered on the source; registered repositories: [alpha, mid, zeta]",
          e.getMessage());
    }
  }

  @Test
  void aLocationOutsidePathRepoIsRefusedWithTheSourcesLocationsOnceEach() {
    try (ScriptedHttpServer source = ScriptedHttpServer.start((n, request) -> {
      if (request.method().equals("PUT")) {
        return Reply.json(500, """
            {"error":{"type":"repository_exception","reason":"[migration] location [/elsewhere] doesn't match any of the locations specified by path.repo"},"status":500}""");
      }
      return Reply.json(200, """
          {"nodes":{"n2":{"settings":{"path":{"repo":["/snapshots/b","/snapshots/a"]}}},"n1":{"settings":{"path":{"repo":"/snapshots/a"}}}}}""");
    })) {
      SnapshotCreator creator = new SnapshotCreator(source.client(), "migration");

      UserError e = assertThrows(UserError.class, () -> creator.registerFilesystemRepository("/elsewhere"));

      assertEquals("the source refused the repository location /elsewhere: it is not under the source's path.repo setting. "
          + "Pick a folder under path.repo (the source has /snapshots/a, /snapshots/b), or add this one to path.repo on every "
          + "node and restart. The source said: repository_exception: [migration] location [/elsewhere] doesn't match any of the locations specified by "
          + "path.repo", e.getMessage());
      assertEquals(List.of("PUT /_snapshot/migration", "GET /_nodes/settings?filter_path=nodes.*.settings.path.repo"),
          source.requests().stream().map(r -> r.method() + " " + r.pathAndQuery()).toList());
    }
  }

  @Test
  void progressReadsBothStatusShapes() {
    try (ScriptedHttpServer source = ScriptedHttpServer.start((n, request) -> n == 1
        // 7.4 and later: incremental, processed and total
        ? Reply.json(200, """
            {"snapshots":[{"snapshot":"snap-1","state":"STARTED","shards_stats":{"done":1,"failed":0,"total":4},
             "stats":{"incremental":{"size_in_bytes":1000},"processed":{"size_in_bytes":250},"total":{"size_in_bytes":4000},
                      "time_in_millis":2000}}]}""")
        // 5.x and 6.x
        : Reply.json(200, """
            {"snapshots":[{"snapshot":"snap-1","state":"SUCCESS","shards_stats":{"done":4,"failed":0,"total":4},
             "stats":{"total_size_in_bytes":4000,"processed_size_in_bytes":3000,"time_in_millis":4000}}]}"""))) {
      SnapshotCreator creator = new SnapshotCreator(source.client(), "migration");

      SnapshotProgress started = creator.status("snap-1");
      SnapshotProgress done = creator.status("snap-1");

      // 3000 bytes were already in the repository (total minus incremental), 250 more processed
      assertEquals("snap-1: STARTED, shards 1/4 done (0 failed), 3.2 KB of 3.9 KB (81%), 1.6 KB/s, 2.0 s", started.describe());
      assertEquals(false, started.isFinished());
      assertEquals("snap-1: SUCCESS, shards 4/4 done (0 failed), 3.9 KB of 3.9 KB (100%), 1000 B/s, 4.0 s", done.describe());
      assertEquals(true, done.isFinished());
    }
  }
}
