package io.searchmigrate.pipelines.runners;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The tasks of a running Flink job and the records each has read and written, from the cluster's REST API: what
 * Flink's web UI shows per vertex.
 *
 * <pre>{@code
 * FlinkJobVertices job = new FlinkJobVertices("http://127.0.0.1:8081", options.getJobName());
 * job.read().ifPresent(vertices -> System.out.println(FlinkJobVertices.sum(vertices, "ToBulkLines", Vertex::readRecords)));
 * }</pre>
 *
 * <p>Why not Beam's counters: a batch job on Flink publishes them only as its tasks end (the runner runs a task's
 * whole input as one bundle), so they cannot show progress. Flink's task input and output counters move while
 * the job runs. A pipeline step is found by name: a vertex's name lists the operators chained into it, each named
 * after its Beam step ({@code ... -> FlatMap (FlatMap at Backfill/WriteToTarget/ToBulkLines/Map/...) -> ...}).
 */
public final class FlinkJobVertices {
  /** One vertex: a chain of operators run as parallel tasks. */
  public record Vertex(String name, long readRecords, long writeRecords, boolean finished) {
    /** True when one of its operators belongs to the step (a path segment of the Beam step names). */
    public boolean runs(String step) {
      return name.contains("/" + step + "/");
    }
  }

  private final ClusterClient rest;
  private final String jobName;

  public FlinkJobVertices(String restUrl, String jobName) {
    this.rest = ClusterClient.connect(ClusterEndpoint.of(restUrl));
    this.jobName = jobName;
  }

  /** The vertices of the newest job of this name, or empty while the cluster does not know it. */
  public Optional<List<Vertex>> read() {
    String jobId = null;
    long newest = Long.MIN_VALUE;
    for (JsonNode job : json("/jobs/overview").path("jobs")) {
      if (jobName.equals(job.path("name").asText()) && job.path("start-time").asLong() > newest) {
        newest = job.path("start-time").asLong();
        jobId = job.path("jid").asText();
      }
    }
    if (jobId == null) {
      return Optional.empty();
    }
    List<Vertex> vertices = new ArrayList<>();
    for (JsonNode vertex : json("/jobs/" + jobId).path("vertices")) {
      JsonNode metrics = vertex.path("metrics");
      vertices.add(new Vertex(vertex.path("name").asText(), metrics.path("read-records").asLong(),
          metrics.path("write-records").asLong(), "FINISHED".equals(vertex.path("status").asText())));
    }
    return Optional.of(vertices);
  }

  /** The sum of a count over the vertices that run the step. */
  public static long sum(List<Vertex> vertices, String step, ToLongFunction<Vertex> count) {
    return vertices.stream().filter(v -> v.runs(step)).mapToLong(count).sum();
  }

  /** True when every vertex that runs the step has finished (false when none does). */
  public static boolean finished(List<Vertex> vertices, String step) {
    return vertices.stream().anyMatch(v -> v.runs(step)) && vertices.stream().filter(v -> v.runs(step)).allMatch(Vertex::finished);
  }

  private JsonNode json(String path) {
    ClusterResponse response = rest.get(path);
    response.requireSuccess();
    return response.json();
  }
}
