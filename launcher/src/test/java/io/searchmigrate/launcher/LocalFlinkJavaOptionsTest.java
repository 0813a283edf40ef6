package io.searchmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM options each Flink process gets from config.yaml, read as Flink's own start scripts read them. */
class LocalFlinkJavaOptionsTest {
  @TempDir
  Path temp;

  @Test
  void eachRoleGetsTheOptionsForAllThenItsOwn() throws IOException {
    Path config = temp.resolve("config.yaml");
    Files.writeString(config, """
        # env.java.opts.all: commented out
        env.java.opts.all: "-Da=1 -Db=2"
        env.java.opts.taskmanager: -Dc=3
        env.java.opts.jobmanager:
        """);
    assertEquals(List.of("-Da=1", "-Db=2", "-Dc=3"), LocalFlink.javaOptions(config, "taskmanager"));
    assertEquals(List.of("-Da=1", "-Db=2"), LocalFlink.javaOptions(config, "jobmanager"));
  }

  @Test
  void theShippedConfigurationsCloseIdleHttpConnectionsOfTaskManagersOnly() {
    Path root = LocalProcesses.projectRoot(LocalFlinkJavaOptionsTest.class);
    for (String profile : List.of("flink", "flink-large")) {
      Path config = root.resolve("runner-configs").resolve(profile).resolve("config.yaml");
      List<String> taskManager = LocalFlink.javaOptions(config, "taskmanager");
      assertTrue(taskManager.contains("-Djdk.httpclient.keepalive.timeout=30"), profile + ": " + taskManager);
      assertTrue(taskManager.contains("--add-opens=java.base/java.util=ALL-UNNAMED"), profile + ": " + taskManager);
      assertFalse(LocalFlink.javaOptions(config, "jobmanager").contains("-Djdk.httpclient.keepalive.timeout=30"), profile);
    }
  }
}
