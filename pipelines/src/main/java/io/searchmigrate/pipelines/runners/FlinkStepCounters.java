package io.searchmigrate.pipelines.runners;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flink's own record counters per pipeline step, read over a Flink cluster's REST API while a job runs.
 *
 * <pre>{@code
 * FlinkStepCounters steps = new FlinkStepCounters("http://127.0.0.1:8081", options.getJobName());
 * Optional<Map<String, Records>> now = steps.read(List.of("ReadSlices", "ToBulkLines"));
 * }</pre>
 *
 * <p>Why not Beam's counters: on Flink, a batch job's Beam counters reach Flink only when each task ends (the
 * runner runs a task's whole input as one bundle and publishes its counters when the bundle finishes), so they
 * cannot show progress. Flink counts the records going into and out of every operator live; a step is found by
 * its name in the operator's name, e.g. {@code ReadSlices} in {@code FlatMap (FlatMap at
 * Backfill/ReadSnapshot/ReadSlices/ParMultiDo(ReadSlice))}. Final accounts still come from Beam's metrics.
 */
public final class FlinkStepCounters {
  /** Records into and out of one step, summed over its operators and subtasks. */
  public record Records(long in, long out) {}

  private static final String IN = ".numRecordsIn";
  private static final String OUT = ".numRecordsOut";

  private final ClusterClient rest;
  private final String jobName;

  public FlinkStepCounters(String restUrl, String jobName) {
    this.rest = ClusterClient.connect(ClusterEndpoint.of(restUrl));
    this.jobName = jobName;
  }

  /**
   * The records of each named step so far (0 for a step not seen yet), or empty while the job is not known to the
   * cluster. A step name matches an operator whose name holds {@code /<step>/}.
   */
  public Optional<Map<String, Records>> read(List<String> steps) {
    String jobId = jobId();
    if (jobId == null) {
      return Optional.empty();
    }
    Map<String, long[]> counts = new LinkedHashMap<>();
    steps.forEach(step -> counts.put(step, new long[2]));
    for (JsonNode vertex : json("/jobs/" + jobId).path("vertices")) {
      String metrics = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
      Map<String, String> stepOfId = new LinkedHashMap<>();
      for (JsonNode metric : json(metrics)) {
        String id = metric.path("id").asText();
        if (id.endsWith(IN) || id.endsWith(OUT)) {
          String step = stepOf(id, steps);
          if (step != null) {
            stepOfId.put(id, step);
          }
        }
      }
      if (stepOfId.isEmpty()) {
        continue;
      }
      List<String> encoded = new ArrayList<>();
      stepOfId.keySet().forEach(id -> encoded.add(URLEncoder.encode(id, StandardCharsets.UTF_8)));
      for (JsonNode value : json(metrics + "?agg=sum&get=" + String.join(",", encoded))) {
        String id = value.path("id").asText();
        String step = stepOfId.get(id);
        if (step != null) {
          counts.get(step)[id.endsWith(IN) ? 0 : 1] += value.path("sum").asLong();
        }
      }
    }
    Map<String, Records> records = new LinkedHashMap<>();
    counts.forEach((step, c) -> records.put(step, new Records(c[0], c[1])));
    return Optional.of(records);
  }

  /** The newest job of this name, or null. */
  private String jobId() {
    String id = null;
    long newest = Long.MIN_VALUE;
    for (JsonNode job : json("/jobs/overview").path("jobs")) {
      if (jobName.equals(job.path("name").asText()) && job.path("start-time").asLong() > newest) {
        newest = job.path("start-time").asLong();
        id = job.path("jid").asText();
      }
    }
    return id;
  }

  /** Flink writes operator names into metric ids with ' ', '.', ':' and ',' replaced by '_'. */
  private static String stepOf(String metricId, List<String> steps) {
    String operator = metricId.substring(0, metricId.lastIndexOf('.'));
    for (String step : steps) {
      if (operator.contains("/" + step.replaceAll("[ .:,]", "_") + "/")) {
        return step;
      }
    }
    return null;
  }

  private JsonNode json(String path) {
    ClusterResponse response = rest.get(path);
    response.requireSuccess();
    return response.json();
  }
}
