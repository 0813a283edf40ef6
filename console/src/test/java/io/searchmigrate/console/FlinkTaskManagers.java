package io.searchmigrate.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.launcher.LocalFlink;
import io.searchmigrate.launcher.SupervisedProcess;
import io.searchmigrate.pipelines.runners.FlinkSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The TaskManager processes of a local session cluster, for the tests that kill one mid-job. */
final class FlinkTaskManagers {
  private FlinkTaskManagers() {}

  /**
   * A TaskManager that holds one of the job's tasks still at work, by Flink's own account (its resource id is the
   * process name). Asked again for up to a minute: under load the tasks may still be deploying.
   */
  static SupervisedProcess holdingTaskOf(LocalFlink launcher, String cluster, FlinkSession flink, String jobId)
      throws InterruptedException {
    ClusterClient rest = ClusterClient.connect(ClusterEndpoint.of(flink.webUrl()));
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      for (JsonNode vertex : rest.getJson("/jobs/" + jobId).path("vertices")) {
        JsonNode managers = rest.getJson("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers")
            .path("taskmanagers");
        for (JsonNode manager : managers) {
          String status = manager.path("status").asText();
          seen.add(manager.path("taskmanager-id").asText() + " " + status);
          if (status.equals("FINISHED") || status.equals("CANCELED") || status.equals("FAILED")) {
            continue;
          }
          String id = manager.path("taskmanager-id").asText();
          Optional<SupervisedProcess> process = launcher.find(cluster).orElseThrow().taskManagers().stream()
              .filter(p -> p.name().equals(id)).findFirst();
          if (process.isPresent()) {
            return process.get();
          }
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no TaskManager of " + cluster + " holds a task of job " + jobId + "; Flink listed " + seen);
  }
}
