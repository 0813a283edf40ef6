package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.common.json.Json;
import io.searchmigrate.testkit.TestS3;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tuples show reads plain and rotated (gzip) tuple files, in capture order, with a summary people and scripts can use. */
class TuplesShowTest {
  private static String tuple(String time, String connection, int index, String method, String path, int source, int target,
      double sourceMs, double targetMs) {
    return "{\"connection\":\"" + connection + "\",\"request_index\":" + index + ",\"timestamp\":\"" + time + "\","
        + "\"source_request\":{\"method\":\"" + method + "\",\"path\":\"" + path + "\",\"headers\":{\"authorization\":\"[redacted]\"},"
        + "\"body\":null},\"source_response\":{\"status\":" + source + ",\"body\":null,\"latency_ms\":" + sourceMs + "},"
        + "\"target_request\":{\"method\":\"" + method + "\",\"path\":\"" + path.replace("/doc/", "/_doc/") + "\",\"headers\":{},"
        + "\"body\":null},\"target_response\":{\"status\":" + target + ",\"body\":null,\"latency_ms\":" + targetMs + "},"
        + "\"status_match\":" + (source == target) + ",\"rewrites\":[\"typeless-requests\"]}";
  }

  /** A rotated (gzip) file, one being written, and a file that is no tuple file. */
  private static void writeTuples(Path dir) throws Exception {
    Files.writeString(dir.resolve("tuples-b-00001.ndjson"),
        tuple("2026-11-28T08:00:03Z", "c2", 0, "GET", "/books/_search?q=x", 200, 200, 3, 5) + "\n"
            + tuple("2026-11-28T08:00:01Z", "c1", 1, "PUT", "/books/doc/2?refresh=true", 201, 400, 2, 4) + "\n");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("tuples-a-00000.ndjson.gz")))) {
      out.write((tuple("2026-11-28T08:00:00Z", "c1", 0, "PUT", "/books/doc/1", 201, 201, 1, 2) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(dir.resolve("notes.txt"), "not a tuple file");
  }

  /** tuples show and validate tuples read the replay's --tuples s3://bucket/prefix as they read its folder. */
  @Test
  void readsTheTuplesOfAReplayIntoS3AsFromAFolder(@TempDir Path dir) throws Exception {
    writeTuples(dir);
    String prefix = TestS3.upload(dir, "tuples-show", "run-" + Long.toString(System.nanoTime(), 36));
    TestS3.useServerCredentials();
    String[] s3 = {"--s3-endpoint", TestS3.endpoint(), "--s3-region", TestS3.REGION};
    for (List<String> command : List.of(List.of("tuples", "show"), List.of("tuples", "show", "--output", "json"),
        List.of("validate", "tuples"))) {
      List<String> fromFolder = new ArrayList<>(command);
      fromFolder.addAll(List.of("--in", dir.toString()));
      List<String> fromS3 = new ArrayList<>(command);
      fromS3.addAll(List.of("--in", prefix));
      fromS3.addAll(List.of(s3));
      ConsoleRun folder = ConsoleRun.of(fromFolder.toArray(String[]::new));
      ConsoleRun bucket = ConsoleRun.of(fromS3.toArray(String[]::new));
      assertEquals(folder.exitCode, bucket.exitCode, bucket::toString);
      assertEquals(folder.out.replace(dir.toString(), prefix), bucket.out, String.join(" ", command));
    }
  }

  @Test
  void showsTuplesInCaptureOrderWithASummary(@TempDir Path dir) throws Exception {
    writeTuples(dir);

    ConsoleRun text = ConsoleRun.of("tuples", "show", "--in", dir.toString());
    assertEquals(0, text.exitCode, text::toString);
    assertEquals("2026-11-28T08:00:00Z c1#0 PUT /books/doc/1 → source 201, target 201 (rewrites: typeless-requests)\n"
        + "2026-11-28T08:00:01Z c1#1 PUT /books/doc/2?refresh=true → source 201, target 400 (rewrites: typeless-requests)  MISMATCH\n"
        + "2026-11-28T08:00:03Z c2#0 GET /books/_search?q=x → source 200, target 200 (rewrites: typeless-requests)\n"
        + "3 request(s): 2 status match(es), 1 mismatch(es)\n"
        + "mismatches by method and path:\n"
        + "  PUT /{index}/{id}/{id}                           1\n"
        + "latency ms, source → target: p50 2.0 → 4.0, p95 3.0 → 5.0\n", text.out);

    ConsoleRun json = ConsoleRun.of("tuples", "show", "--in", dir.toString(), "--output", "json", "--only-mismatches");
    assertEquals(0, json.exitCode, json::toString);
    var report = Json.parse(json.out);
    assertEquals(3, report.path("requests").asInt());
    assertEquals(2, report.path("status_matches").asInt());
    assertEquals(1, report.path("mismatches_by_pattern").path("PUT /{index}/{id}/{id}").asInt());
    assertEquals(1, report.path("tuples").size());
    assertEquals("c1", report.path("tuples").path(0).path("connection").asText());

    ConsoleRun missing = ConsoleRun.of("tuples", "show", "--in", dir.resolve("nope").toString());
    assertEquals(Migrate.USER_ERROR, missing.exitCode);
    assertEquals("error: " + dir.resolve("nope") + " is not a folder; give the folder the replay wrote its tuples to (--tuples)\n",
        missing.err);
  }
}
