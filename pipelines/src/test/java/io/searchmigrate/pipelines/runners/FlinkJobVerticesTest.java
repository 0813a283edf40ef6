package io.searchmigrate.pipelines.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.ScriptedHttpServer.Reply;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading a job's vertices from Flink's REST answers (their shape as Flink 1.19 gives them). */
class FlinkJobVerticesTest {
  private static final String OVERVIEW = "{\"jobs\":["
      + "{\"jid\":\"old\",\"name\":\"backfill\",\"state\":\"FINISHED\",\"start-time\":100},"
      + "{\"jid\":\"other\",\"name\":\"replay\",\"state\":\"RUNNING\",\"start-time\":300},"
      + "{\"jid\":\"new\",\"name\":\"backfill\",\"state\":\"RUNNING\",\"start-time\":200}]}";
  private static final String JOB = "{\"jid\":\"new\",\"vertices\":["
      + vertex("CHAIN GroupReduce (GroupReduce at x) -> FlatMap (FlatMap at Backfill/ReadSnapshot/ReadSlices/ParMultiDo(ReadSlice))"
          + " -> FlatMap (FlatMap at Backfill/Transform)", "FINISHED", 7, 57700) + ","
      + vertex("CHAIN FlatMap (FlatMap at Backfill/Transform.out0) -> FlatMap (FlatMap at "
          + "Backfill/WriteToTarget/ToBulkLines/Map/ParMultiDo(Anonymous))", "RUNNING", 10000, 0) + ","
      + vertex("CHAIN FlatMap (FlatMap at Backfill/Transform.out0) -> FlatMap (FlatMap at "
          + "Backfill/WriteToTarget/ToBulkLines/Map/ParMultiDo(Anonymous))", "RUNNING", 2500, 0) + "]}";

  private static String vertex(String name, String status, long read, long written) {
    return "{\"id\":\"v\",\"name\":\"" + name + "\",\"status\":\"" + status + "\",\"metrics\":{\"read-records\":" + read
        + ",\"read-records-complete\":true,\"write-records\":" + written + "}}";
  }

  @Test
  void readsTheNewestJobOfItsNameAndSumsPerStep() {
    try (ScriptedHttpServer flink = ScriptedHttpServer.start((n, request) ->
        request.pathAndQuery().equals("/jobs/overview") ? Reply.json(200, OVERVIEW)
            : request.pathAndQuery().equals("/jobs/new") ? Reply.json(200, JOB) : Reply.json(404, "{\"errors\":[\"Not found\"]}"))) {
      List<FlinkJobVertices.Vertex> vertices = new FlinkJobVertices(flink.url(), "backfill").read().orElseThrow();
      assertEquals(3, vertices.size());
      assertEquals(12_500, FlinkJobVertices.sum(vertices, "ToBulkLines", FlinkJobVertices.Vertex::readRecords));
      assertEquals(57_700, FlinkJobVertices.sum(vertices, "ReadSlices", FlinkJobVertices.Vertex::writeRecords));
      assertTrue(FlinkJobVertices.finished(vertices, "ReadSlices"));
      assertFalse(FlinkJobVertices.finished(vertices, "ToBulkLines"));
      assertFalse(FlinkJobVertices.finished(vertices, "Transform"), "a step is a whole path segment: Transform.out0 is not it");
      assertEquals(List.of("/jobs/overview", "/jobs/new"), flink.requests().stream().map(ScriptedHttpServer.Request::pathAndQuery).toList());
    }
  }

  @Test
  void aJobTheClusterDoesNotKnowYetIsEmpty() {
    try (ScriptedHttpServer flink = ScriptedHttpServer.start((n, request) -> Reply.json(200, "{\"jobs\":[]}"))) {
      assertEquals(Optional.empty(), new FlinkJobVertices(flink.url(), "backfill").read());
    }
  }
}
