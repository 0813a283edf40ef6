package io.searchmigrate.pipelines.runners;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.http.ClusterUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A Flink session cluster as its REST API shows it (the API behind the web UI): its jobs, one job's state and
 * restarts, cancelling a job.
 *
 * <pre>{@code
 * FlinkSession flink = FlinkSession.at("localhost:8081");
 * flink.jobs().forEach(job -> System.out.println(job.id() + " " + job.state() + " " + job.name()));
 * flink.newestJob("backfill-snap-1").ifPresent(job -> flink.cancel(job.id()));
 * }</pre>
 */
public final class FlinkSession {
  /** One job as {@code /jobs/overview} lists it. */
  public record Job(String id, String name, String state, long startTime, long durationMillis, int tasks, int finishedTasks) {
    public boolean isTerminal() {
      return List.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED").contains(state);
    }
  }

  private final String webUrl;
  private final ClusterClient rest;

  private FlinkSession(String webUrl) {
    this.webUrl = webUrl;
    this.rest = ClusterClient.connect(ClusterEndpoint.of(webUrl));
  }

  /** A cluster by its master address as {@code --flinkMaster} takes it: host:port, or an http(s) URL. */
  public static FlinkSession at(String master) {
    return new FlinkSession(webUrl(master));
  }

  /** The web UI (and REST) URL of a master address: host:port becomes http://host:port. */
  public static String webUrl(String master) {
    String trimmed = master.strip().replaceAll("/+$", "");
    return trimmed.matches("(?i)https?://.*") ? trimmed : "http://" + trimmed;
  }

  /** True for a master that names a cluster to submit to, false for Flink's in-process ones ([local], [auto], [collection]). */
  public static boolean isRemote(String master) {
    return master != null && !master.isBlank() && !master.matches("\\[(local|auto|collection)\\]");
  }

  public String webUrl() {
    return webUrl;
  }

  /** The link to a job in the web UI (its page while it runs; the UI lists it under completed jobs once it ended). */
  public String jobUrl(String jobId) {
    return webUrl + "/#/job/running/" + jobId + "/overview";
  }

  /** {@code /overview}: TaskManagers, slots, jobs by state; a clear error when the cluster does not answer. */
  public JsonNode overview() {
    return json("/overview");
  }

  /** Every job the cluster knows (running and recently ended), newest first. */
  public List<Job> jobs() {
    List<Job> jobs = new ArrayList<>();
    for (JsonNode job : json("/jobs/overview").path("jobs")) {
      jobs.add(new Job(job.path("jid").asText(), job.path("name").asText(), job.path("state").asText(),
          job.path("start-time").asLong(), job.path("duration").asLong(), job.path("tasks").path("total").asInt(),
          job.path("tasks").path("finished").asInt()));
    }
    jobs.sort(Comparator.comparingLong(Job::startTime).reversed().thenComparing(Job::id));
    return jobs;
  }

  /** The newest job of this name. */
  public Optional<Job> newestJob(String name) {
    return jobs().stream().filter(job -> job.name().equals(name)).findFirst();
  }

  public Optional<Job> job(String id) {
    return jobs().stream().filter(job -> job.id().equals(id)).findFirst();
  }

  /** How many times Flink restarted the job after a failure (its {@code numRestarts} metric). */
  public long restarts(String jobId) {
    for (JsonNode metric : json("/jobs/" + jobId + "/metrics?get=numRestarts")) {
      if ("numRestarts".equals(metric.path("id").asText())) {
        return metric.path("value").asLong();
      }
    }
    return 0;
  }

  /**
   * How many of the job's subtasks run (or ran) again after a failure: those whose current attempt is not the first, by
   * the job's execution graph, which Flink keeps for an ended job too (the restart metric is only sampled while it runs).
   */
  public long restartedSubtasks(String jobId) {
    long restarted = 0;
    for (JsonNode vertex : json("/jobs/" + jobId).path("vertices")) {
      for (JsonNode subtask : json("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText()).path("subtasks")) {
        if (subtask.path("attempt").asInt() > 0) {
          restarted++;
        }
      }
    }
    return restarted;
  }

  /** The failures Flink recorded for the job, oldest first, one line each (its exception history). */
  public List<String> failures(String jobId) {
    List<String> failures = new ArrayList<>();
    for (JsonNode entry : json("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries")) {
      failures.add(0, entry.path("exceptionName").asText() + " on " + entry.path("taskName").asText("(the job)") + " at "
          + entry.path("location").asText("?"));
    }
    return failures;
  }

  /** The job's {@code parallelism.default} as the cluster is configured, for a submission that names none. */
  public Optional<Integer> defaultParallelism() {
    for (JsonNode entry : json("/jobmanager/config")) {
      if ("parallelism.default".equals(entry.path("key").asText())) {
        return Optional.of(Integer.parseInt(entry.path("value").asText().strip()));
      }
    }
    return Optional.empty();
  }

  /** Asks the cluster to cancel a job; an unknown job id is a clear error. */
  public void cancel(String jobId) {
    ClusterResponse response = send("PATCH", "/jobs/" + jobId + "?mode=cancel");
    if (response.status() == 404) {
      throw new UserError("Flink at " + webUrl + " has no job " + jobId + "; ./migrate flink jobs lists them");
    }
    if (!response.isSuccess()) {
      throw new UserError("Flink at " + webUrl + " refused to cancel job " + jobId + ": HTTP " + response.status() + " "
          + response.bodyText());
    }
  }

  private JsonNode json(String path) {
    ClusterResponse response = send("GET", path);
    if (!response.isSuccess()) {
      throw new UserError("Flink at " + webUrl + " answered " + path + " with HTTP " + response.status() + ": "
          + response.bodyText());
    }
    return response.json();
  }

  private ClusterResponse send(String method, String path) {
    try {
      return rest.send(method, path, null, null, Duration.ofSeconds(30));
    } catch (ClusterUnreachableException e) {
      throw new UserError("no Flink cluster answers at " + webUrl + " (" + e.getMessage() + "). Is it running? "
          + "Start a local one with ./migrate flink start-local, or check --flink-master", e);
    }
  }
}
