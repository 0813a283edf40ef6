package io.searchmigrate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one process supervisor, with real child JVMs: record, find, list, the "already running" check, stop by PID. */
class ProcessSupervisorTest {
  @TempDir
  Path home;

  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildrenLeftBehind() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void recordsFindsListsAndStopsARealProcess() throws Exception {
    ProcessSupervisor supervisor = supervisor();
    Process child = startChild(supervisor, ProcessKind.PROXY, "child");
    SupervisedProcess recorded = supervisor.record(new SupervisedProcess(ProcessKind.PROXY, "child", child.pid(),
        supervisor.javaMarker(ProcessKind.PROXY, "child"), home.resolve("proxies/child"), home.resolve("proxies/child/child.log"),
        "127.0.0.1:21299", Map.of("listen", 21299), Map.of("topic", "t")));

    assertEquals(Json.parse("{\"kind\":\"proxy\",\"name\":\"child\",\"pid\":" + child.pid() + ",\"marker\":\"-Dsearchmigrate.process="
            + home.resolve("proxies/child") + "/\",\"log\":\"" + home.resolve("proxies/child/child.log") + "\",\"address\":\"127.0.0.1:21299\","
            + "\"ports\":{\"listen\":21299},\"attributes\":{\"topic\":\"t\"}}"),
        Json.parse(Files.readAllBytes(home.resolve("proxies/child/process.json"))), "the one state file layout");
    assertEquals(Optional.of(recorded), supervisor.find(ProcessKind.PROXY, "child"));
    assertEquals(List.of(recorded), supervisor.list(ProcessKind.PROXY));
    assertEquals(List.of(), supervisor.list(ProcessKind.KAFKA));
    assertEquals(List.of(recorded), supervisor.listAll());
    assertEquals(Set.of(21299), supervisor.portsInUse());
    assertTrue(recorded.isRunning());

    assertTrue(supervisor.stop(recorded, Duration.ofSeconds(30)));
    assertEquals(List.of("stopped proxy 'child' (pid " + child.pid() + ")"), messages);
    assertTrue(child.waitFor(5, TimeUnit.SECONDS), "SIGTERM ended it");
    assertEquals(143, child.exitValue(), "ended by SIGTERM, not SIGKILL");
    assertFalse(recorded.isRunning());
    assertEquals(Set.of(), supervisor.portsInUse(), "a stopped process holds no ports");
    assertEquals(List.of(recorded), supervisor.listAll(), "the record stays, so a restart can reuse its ports");

    messages.clear();
    assertEquals(Optional.of(recorded), supervisor.stop(ProcessKind.PROXY, "child", Duration.ofSeconds(30)));
    assertEquals(List.of("proxy 'child' was not running"), messages);
    assertEquals(Optional.empty(), supervisor.stop(ProcessKind.PROXY, "never-started", Duration.ofSeconds(30)));
  }

  @Test
  void alreadyRunningSaysHowToStopIt() throws Exception {
    ProcessSupervisor supervisor = supervisor();
    Process child = startChild(supervisor, ProcessKind.KAFKA, "k1");
    SupervisedProcess recorded = supervisor.record(new SupervisedProcess(ProcessKind.KAFKA, "k1", child.pid(),
        supervisor.javaMarker(ProcessKind.KAFKA, "k1"), supervisor.dir(ProcessKind.KAFKA, "k1"), home.resolve("k1.log"),
        "127.0.0.1:21298", Map.of("broker", 21298), Map.of()));

    UserError e = assertThrows(UserError.class, () -> supervisor.requireNotRunning(ProcessKind.KAFKA, "k1"));
    assertEquals("Kafka broker 'k1' is already running at 127.0.0.1:21298 (pid " + child.pid() + "); stop it first: "
        + "./migrate kafka stop-local --name k1", e.getMessage());

    supervisor.stop(recorded, Duration.ofSeconds(30));
    assertEquals(Optional.of(recorded), supervisor.requireNotRunning(ProcessKind.KAFKA, "k1"), "stopped: start again, same ports");
    assertEquals(Optional.empty(), supervisor.requireNotRunning(ProcessKind.KAFKA, "k2"));
  }

  @Test
  void aPidThatNoLongerCarriesTheMarkerIsNotRunningAndIsLeftAlone() throws Exception {
    ProcessSupervisor supervisor = supervisor();
    // this test's own JVM stands in for a process that got a recorded PID after the recorded process ended
    long reusedPid = ProcessHandle.current().pid();
    SupervisedProcess gone = supervisor.record(new SupervisedProcess(ProcessKind.CLUSTER, "reused", reusedPid,
        home.resolve("clusters/reused/dist").toString(), supervisor.dir(ProcessKind.CLUSTER, "reused"), home.resolve("reused.log"),
        "http://127.0.0.1:21297", Map.of("http", 21297), Map.of()));

    assertFalse(gone.isRunning());
    assertEquals(Optional.of(gone), supervisor.requireNotRunning(ProcessKind.CLUSTER, "reused"));
    assertFalse(supervisor.stop(gone, Duration.ofSeconds(1)));
    assertEquals(List.of("cluster 'reused' was not running"), messages);

    // the marker of 'p' is not found in the command line of 'p2', whose folder name starts the same way
    Process p2 = startChild(supervisor, ProcessKind.PROXY, "p2");
    SupervisedProcess p = new SupervisedProcess(ProcessKind.PROXY, "p", p2.pid(), supervisor.javaMarker(ProcessKind.PROXY, "p"),
        supervisor.dir(ProcessKind.PROXY, "p"), home.resolve("p.log"), "127.0.0.1:21296", Map.of(), Map.of());
    assertFalse(p.isRunning());
    assertFalse(supervisor.stop(p, Duration.ofSeconds(1)));
    assertTrue(p2.isAlive(), "a process that is not the recorded one is never signalled");
  }

  @Test
  void killsWhatIgnoresSigtermAfterTheGrace() throws Exception {
    ProcessSupervisor supervisor = supervisor();
    Process child = startChild(supervisor, ProcessKind.PROXY, "stubborn", "stubborn");
    SupervisedProcess recorded = supervisor.record(new SupervisedProcess(ProcessKind.PROXY, "stubborn", child.pid(),
        supervisor.javaMarker(ProcessKind.PROXY, "stubborn"), supervisor.dir(ProcessKind.PROXY, "stubborn"), home.resolve("s.log"),
        "127.0.0.1:21295", Map.of(), Map.of()));

    assertTrue(supervisor.stop(recorded, Duration.ofSeconds(1)));
    assertEquals(List.of("proxy 'stubborn' did not stop within 1 s of SIGTERM; killing pid " + child.pid(),
        "stopped proxy 'stubborn' (pid " + child.pid() + ")"), messages);
    assertTrue(child.waitFor(5, TimeUnit.SECONDS));
    assertEquals(137, child.exitValue(), "ended by SIGKILL");
  }

  @Test
  void listAllCoversEveryKindInAFixedOrder() {
    ProcessSupervisor supervisor = supervisor();
    for (String[] kindAndName : new String[][] {{"PROXY", "c"}, {"CLUSTER", "b"}, {"KAFKA", "a"}, {"CLUSTER", "a"}}) {
      ProcessKind kind = ProcessKind.valueOf(kindAndName[0]);
      String name = kindAndName[1];
      supervisor.record(new SupervisedProcess(kind, name, 1, "marker-of-" + name, supervisor.dir(kind, name),
          home.resolve(name + ".log"), "somewhere", Map.of(), Map.of()));
    }
    assertEquals(List.of("cluster/a", "cluster/b", "kafka/a", "proxy/c"),
        supervisor.listAll().stream().map(p -> p.kind().id() + "/" + p.name()).toList());
    assertFalse(supervisor.listAll().get(0).isRunning(), "pid 1 runs, but it is not ours");
  }

  @Test
  void namesThatCouldLeaveTheFolderAreRefused() {
    ProcessSupervisor supervisor = supervisor();
    UserError e = assertThrows(UserError.class, () -> supervisor.find(ProcessKind.KAFKA, "../etc"));
    assertEquals("Kafka broker name '../etc' may hold only letters, digits, '.', '_' and '-'", e.getMessage());
    SupervisedProcess misplaced = new SupervisedProcess(ProcessKind.PROXY, "x", 1, "m", home.resolve("elsewhere"),
        home.resolve("x.log"), "a", Map.of(), Map.of());
    assertThrows(IllegalArgumentException.class, () -> supervisor.record(misplaced));
    assertFalse(Files.exists(home.resolve("elsewhere")));
  }

  private ProcessSupervisor supervisor() {
    return new ProcessSupervisor(home, messages::add);
  }

  /** Starts {@link SupervisedChild} through the supervisor and waits until it says it is ready. */
  private Process startChild(ProcessSupervisor supervisor, ProcessKind kind, String name, String... args) throws Exception {
    Path log = home.resolve(name + "-child.log");
    String classPath = Path.of(SupervisedChild.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    Process child = supervisor.startJava(kind, name, List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"), classPath,
        SupervisedChild.class.getName(), List.of(args), log);
    children.add(child);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!(Files.exists(log) && Files.readString(log).contains("ready"))) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the child did not start: " + (Files.exists(log) ? Files.readString(log) : "no log"));
      }
      Thread.sleep(50);
    }
    return child;
  }
}
