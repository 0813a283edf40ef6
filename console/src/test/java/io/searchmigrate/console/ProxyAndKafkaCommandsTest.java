package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.capture.CredentialRedaction;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.Secret;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.LocalProxies;
import io.searchmigrate.launcher.ProcessSupervisor;
import io.searchmigrate.testkit.TestClusters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The console's journey for capture: start a local Kafka broker and the proxy as background processes,
 * send traffic through the proxy, read it back with kafka dump, stop both by PID.
 */
class ProxyAndKafkaCommandsTest {
  private static final String CLIENT_BASIC = "Y2xpZW50OmNsaWVudC1zZWNyZXQ="; // client:client-secret

  private record Run(int code, String out, String err) {}

  private final Set<Integer> ports = new HashSet<>();

  @Test
  void startCaptureDumpAndStop() throws Exception {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    String kafkaName = "console-test-kafka";
    Run kafka = run("kafka", "start-local", "--name", kafkaName, "--port", Integer.toString(port()));
    assertEquals(0, kafka.code(), kafka.err());
    String bootstrap = kafka.out().strip();
    try {
      String topic = "console-capture-" + System.currentTimeMillis();
      String index = "console-" + Long.toString(System.currentTimeMillis(), 36);
      int listen = port();
      Run start = run("proxy", "start", "--name", "console-test", "--listen", "127.0.0.1:" + listen, "--source", es.url(),
          "--kafka", bootstrap, "--topic", topic, "--admin", "127.0.0.1:" + port(), "--set-header", "Authorization=Basic Y29uc29sZTpzZWNyZXQ=",
          "--capture-credentials", "--capture-buffer", "200MiB");
      assertEquals(0, start.code(), start.err());
      LocalProxies.Proxy state = new LocalProxies(ProcessSupervisor.defaultHome(), line -> {}).find("console-test").orElseThrow();
      try {
        assertTrue(state.isRunning(), "the proxy runs as its own process");
        String commandLine = Files.readString(Path.of("/proc/" + state.pid() + "/cmdline")).replace('\0', ' ');
        assertFalse(commandLine.contains("Y29uc29sZTpzZWNyZXQ="), "no credential on the proxy's command line: " + commandLine);
        assertTrue(commandLine.contains(" -Xmx656m "), "the heap follows --capture-buffer (2 x 200 MiB + 256 MiB): " + commandLine);
        Path argumentsFile = state.log().resolveSibling("proxy.args");
        assertTrue(commandLine.contains("@" + argumentsFile), commandLine);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(argumentsFile)));
        // the client's own credential is captured (--capture-credentials) and kafka dump still hides it
        ClusterClient client = ClusterClient.connect(ClusterEndpoint.of("http://127.0.0.1:" + listen)
            .withBasicAuth("client", Secret.of("client-secret")));
        assertEquals(201, client.putJson("/" + index + "/_doc/1", Json.parse("{\"from\":\"console\"}")).status());
        assertEquals(200, client.get("/" + index + "/_doc/1").status());
        Run status = run("proxy", "status", "--name", "console-test");
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("running") && status.out().contains("requests_total 2")
            && status.out().contains("capture_confirmed_total 1"), status.out());
      } finally {
        Run stop = run("proxy", "stop", "--name", "console-test");
        assertEquals(0, stop.code(), stop.err());
        assertTrue(stop.err().contains("stopped:"), "the proxy reported its last counters on the way out: " + stop.err());
      }
      assertFalse(state.isRunning(), "stopped by PID");
      assertEquals(1, run("proxy", "status", "--name", "console-test").code());

      Run dump = run("kafka", "dump", "--kafka", bootstrap, "--topic", topic);
      assertEquals(0, dump.code(), dump.err());
      assertTrue(dump.out().contains("PUT /" + index + "/_doc/1 HTTP/1.1\n"), dump.out());
      assertTrue(dump.out().contains("{\"from\":\"console\"}"), dump.out());
      assertTrue(dump.out().contains("--- response #0  201"), dump.out());
      assertTrue(dump.out().contains("\"found\":true"), dump.out());
      assertTrue(dump.out().contains("closed by the proxy"), "the client kept its connection open; stop closed it: " + dump.out());
      assertFalse(dump.out().contains("Y29uc29sZTpzZWNyZXQ="), "a header the proxy sets (a credential here) is never captured");
      assertFalse(dump.out().contains(CLIENT_BASIC), "kafka dump redacts the client's credential: " + dump.out());
      assertTrue(dump.out().contains("Authorization: " + CredentialRedaction.MARKER + "\n"), dump.out());

      Run json = run("kafka", "dump", "--kafka", bootstrap, "--topic", topic, "--format", "json");
      assertEquals(0, json.code(), json.err());
      List<JsonNode> lines = new ArrayList<>();
      json.out().lines().forEach(l -> lines.add(Json.parse(l)));
      assertEquals(List.of("PUT", "GET"), lines.stream().map(l -> l.path("method").asText()).toList());
      String request = new String(Base64.getDecoder().decode(lines.get(0).path("request").asText()), StandardCharsets.UTF_8);
      assertTrue(request.startsWith("PUT /" + index + "/_doc/1 HTTP/1.1\r\n") && request.endsWith("{\"from\":\"console\"}"), request);
      assertEquals(201, lines.get(0).path("status").asInt());
      assertFalse(request.contains(CLIENT_BASIC), request);
      assertTrue(request.contains("Authorization: " + CredentialRedaction.MARKER + "\r\n"), request);

      Run absent = run("kafka", "dump", "--kafka", bootstrap, "--topic", "no-such-topic-" + System.nanoTime());
      assertEquals(Migrate.USER_ERROR, absent.code());
      assertTrue(absent.err().contains("does not exist"), absent.err());
      Run bad = run("proxy", "start", "--name", "console-bad", "--listen", "127.0.0.1:" + port(), "--source", es.url(),
          "--kafka", bootstrap, "--topic", topic, "--hold-timeout", "soon");
      assertEquals(Migrate.USER_ERROR, bad.code());
      assertTrue(bad.err().contains("--hold-timeout 'soon' should be a duration"), bad.err());
    } finally {
      assertEquals(0, run("kafka", "stop-local", "--name", kafkaName).code());
    }
  }

  private int port() {
    int port = LocalProcesses.freePort(ports);
    ports.add(port);
    return port;
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Migrate.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }
}
