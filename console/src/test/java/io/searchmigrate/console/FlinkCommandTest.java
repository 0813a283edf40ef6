package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The console's Flink flags and commands given wrong input: clear errors, before anything runs. */
class FlinkCommandTest {
  @Test
  void theFlinkRunnerNeedsAMasterAndTheFlinkFlagsNeedTheFlinkRunner() {
    ConsoleRun noMaster = ConsoleRun.of("backfill", "--repo", "/nowhere", "--snapshot", "s", "--target", "http://127.0.0.1:1",
        "--runner", "flink");
    assertEquals(Migrate.USER_ERROR, noMaster.exitCode, noMaster::toString);
    assertEquals("error: --runner flink submits to a Flink session cluster: give its REST address with --flink-master "
        + "HOST:PORT (./migrate flink start-local starts one and prints it)", noMaster.err.strip());

    ConsoleRun detachOnDirect = ConsoleRun.of("backfill", "--repo", "/nowhere", "--snapshot", "s", "--target", "http://127.0.0.1:1",
        "--detach");
    assertEquals(Migrate.USER_ERROR, detachOnDirect.exitCode, detachOnDirect::toString);
    assertEquals("error: --flink-master and --detach go with --runner flink (a Flink session cluster); got --runner direct",
        detachOnDirect.err.strip());
  }

  @Test
  void aMasterWhereNoFlinkAnswersIsNamed() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ConsoleRun jobs = ConsoleRun.of("flink", "jobs", "--flink-master", "127.0.0.1:" + closedPort);
    assertEquals(Migrate.USER_ERROR, jobs.exitCode, jobs::toString);
    assertTrue(jobs.err.startsWith("error: no Flink cluster answers at http://127.0.0.1:" + closedPort + " ("), jobs::toString);
    assertTrue(jobs.err.contains("Start a local one with ./migrate flink start-local, or check --flink-master"), jobs::toString);

    ConsoleRun noLocal = ConsoleRun.of("flink", "jobs", "--name", "no-such-flink");
    assertEquals(Migrate.USER_ERROR, noLocal.exitCode, noLocal::toString);
    assertEquals("error: no --flink-master given and no local Flink cluster 'no-such-flink' is running; pass --flink-master "
        + "HOST:PORT, or start one with: ./migrate flink start-local", noLocal.err.strip());
  }
}
