package io.searchmigrate.pipelines.runners;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Beam counters of a running Flink streaming job, read over Flink's REST API and summed over steps and parallel
 * tasks, by counter name.
 *
 * <pre>{@code
 * FlinkJobCounters counters = new FlinkJobCounters("http://localhost:8081", "replay-search-migrate-replay", "io.searchmigrate.");
 * long replayed = counters.read().orElse(Map.of()).getOrDefault("replayed", 0L);
 * }</pre>
 *
 * <p>Why not the pipeline result's metrics: Beam's Flink runner hands its counters to the result (as a Flink
 * accumulator) only when the job ends, and a streaming job does not end. Each task publishes them as Flink metrics at
 * the end of every bundle instead, named {@code <operator>.<namespace>_<counter>} with the namespace's dots as
 * underscores ({@code Replay/ReplayPerConnection.io_searchmigrate_pipelines_replay_ReplayRequestsFn_replayed}).
 */
public final class FlinkJobCounters {
  private final ClusterClient rest;
  private final String jobName;
  /** Operator, then the namespace (packages, then the class that declared the counter), then the counter's name. */
  private final Pattern counterId;

  /**
   * @param packagePrefix counters declared by classes of packages starting with it ({@code io.searchmigrate.}); Beam
   *     names a counter's namespace after the class given to {@code Metrics.counter(Class, name)}
   */
  public FlinkJobCounters(String restUrl, String jobName, String packagePrefix) {
    this.rest = ClusterClient.connect(ClusterEndpoint.of(restUrl));
    this.jobName = jobName;
    this.counterId = Pattern.compile(".*\\." + Pattern.quote(packagePrefix.replace('.', '_'))
        + "(?:[a-z0-9]+_)*[A-Z][A-Za-z0-9$]*_(.+)");
  }

  /** The counters of the newest running job of this name; empty while the cluster does not list it running. */
  public Optional<Map<String, Long>> read() {
    String jobId = null;
    long newest = Long.MIN_VALUE;
    for (JsonNode job : json("/jobs/overview").path("jobs")) {
      if (jobName.equals(job.path("name").asText()) && "RUNNING".equals(job.path("state").asText())
          && job.path("start-time").asLong() > newest) {
        newest = job.path("start-time").asLong();
        jobId = job.path("jid").asText();
      }
    }
    if (jobId == null) {
      return Optional.empty();
    }
    Map<String, Long> counters = new TreeMap<>();
    for (JsonNode vertex : json("/jobs/" + jobId).path("vertices")) {
      String metrics = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
      List<String> ours = new ArrayList<>();
      for (JsonNode metric : json(metrics)) {
        String id = metric.path("id").asText();
        if (counterId.matcher(id).matches()) {
          ours.add(id);
        }
      }
      if (ours.isEmpty()) {
        continue;
      }
      String get = URLEncoder.encode(String.join(",", ours), StandardCharsets.UTF_8);
      for (JsonNode metric : json(metrics + "?agg=sum&get=" + get)) {
        Matcher counter = counterId.matcher(metric.path("id").asText());
        if (counter.matches()) {
          counters.merge(counter.group(1), metric.path("sum").asLong(), Long::sum);
        }
      }
    }
    return Optional.of(counters);
  }

  private JsonNode json(String path) {
    ClusterResponse response = rest.get(path);
    response.requireSuccess();
    return response.json();
  }
}
