package io.searchmigrate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process that sent requests ends its HTTP clients' selector threads before it exits, so the JVM's exit does not
 * wait for them (about 0.3 s on every command). Run in a JVM of its own: ending them in the test's JVM would stop
 * the clients of other tests.
 */
class ClusterClientExitTest {
  @Test
  void theSelectorThreadsOfClientsThatSentRequestsAreEndedBeforeExit() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ExitingProcess.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start(); // only its answer on stdout, warnings aside
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    child.waitFor(60, TimeUnit.SECONDS);
    assertEquals("answered 200 200; ended 2; still running 0", output);
    assertEquals(0, child.exitValue(), output);
  }

  /** Two clients send a request each, then the process gets ready to exit, as the console's main does. */
  static final class ExitingProcess {
    public static void main(String[] args) throws IOException {
      int first;
      int second;
      try (FixedAnswerServer server = FixedAnswerServer.start(200, "{}")) {
        ClusterEndpoint endpoint = ClusterEndpoint.of(server.url());
        first = ClusterClient.connect(endpoint).get("/").status();
        second = ClusterClient.connect(endpoint).get("/").status();
      }
      int ended = ClusterClient.endSelectorThreadsBeforeExit();
      long running = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().matches("HttpClient-\\d+-SelectorManager")).count();
      System.out.println("answered " + first + " " + second + "; ended " + ended + "; still running " + running);
      System.exit(0);
    }
  }
}
