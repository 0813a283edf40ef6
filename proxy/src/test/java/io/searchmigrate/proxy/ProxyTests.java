package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureTopicReader;
import io.searchmigrate.launcher.LocalProcesses;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** What the proxy tests share: configurations, waiting for captures to settle, reading them back, comparing. */
final class ProxyTests {
  private static final Set<Integer> PORTS_HANDED_OUT = new HashSet<>();
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private ProxyTests() {}

  /** A free port in this run's range (MIGRATE_PORT_BASE..+99), never the same twice in one JVM. */
  static synchronized int freePort() {
    int port = LocalProcesses.freePort(PORTS_HANDED_OUT);
    PORTS_HANDED_OUT.add(port);
    return port;
  }

  static String topic(String name) {
    return name + "-" + System.currentTimeMillis() + "-" + TOPICS.incrementAndGet();
  }

  static ProxyConfig config(String sourceUrl, String bootstrap, String topic) {
    return ProxyConfig.defaults(new InetSocketAddress("127.0.0.1", freePort()), URI.create(sourceUrl), bootstrap, topic)
        .withAdmin(new InetSocketAddress("127.0.0.1", freePort()))
        .withThreads(2)
        .withNodeId("test");
  }

  /** Starts a proxy and waits until it can capture (its producer knows the topic), as ./migrate proxy start does. */
  static ProxyServer start(ProxyConfig config) {
    ProxyServer proxy = ProxyServer.start(config);
    await(Duration.ofSeconds(60), "the proxy's Kafka producer knows the topic", () -> !proxy.kafkaState().equals("connecting"));
    return proxy;
  }

  /** Waits until every connection is closed and every capture record has Kafka's answer. */
  static void awaitCaptureSettled(ProxyServer proxy) {
    await(Duration.ofSeconds(90), "connections closed and captures acknowledged", () ->
        proxy.metrics().connectionsActive.get() == 0 && proxy.metrics().captureBufferedRecords.get() == 0);
  }

  static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  /** The topic's connections, by the client port they came from. Asserts every record of a connection sits on one partition, in order. */
  static Map<Integer, CaptureAssembler.Connection> capturedByClientPort(String bootstrap, String topic) {
    CaptureTopicReader.Result result = CaptureTopicReader.read(bootstrap, topic, Map.of(), Duration.ofSeconds(60));
    assertEquals(0, result.undecodable(), "undecodable records: " + result.firstProblem());
    Map<String, Integer> partitionOf = new HashMap<>();
    Map<String, Long> lastSequence = new HashMap<>();
    CaptureAssembler assembler = new CaptureAssembler();
    for (CaptureTopicReader.Located l : result.located()) {
      String id = l.record().connectionId();
      Integer partition = partitionOf.putIfAbsent(id, l.partition());
      assertTrue(partition == null || partition == l.partition(), "connection " + id + " spans partitions " + partition + " and " + l.partition());
      Long previous = lastSequence.put(id, l.record().sequence());
      assertTrue(previous == null || previous < l.record().sequence(), "connection " + id + ": sequence " + l.record().sequence()
          + " stored after " + previous);
      assembler.add(l.record());
    }
    Map<Integer, CaptureAssembler.Connection> byPort = new HashMap<>();
    for (CaptureAssembler.Connection c : assembler.connections()) {
      String client = c.open().clientAddress();
      byPort.put(Integer.parseInt(client.substring(client.lastIndexOf(':') + 1)), c);
    }
    return byPort;
  }

  /** The capture of a connection holds exactly what the client sent and received, exchange by exchange, and its close. */
  static void assertCapturedExactly(CaptureAssembler.Connection captured, List<RawHttp.Sent> transcript) {
    assertEquals(List.of(), captured.missingSequences(), "lost records of " + captured.id());
    assertTrue(captured.ended(), "the last record of " + captured.id() + " is marked as last");
    assertEquals(transcript.size(), captured.exchanges().size(), "exchanges captured on " + captured.id());
    for (int n = 0; n < transcript.size(); n++) {
      int i = n;
      CaptureAssembler.Exchange e = captured.exchanges().get(i);
      assertEquals(i, e.index(), "request index");
      assertTrue(e.complete(), "exchange " + i + " complete");
      assertArrayEquals(transcript.get(i).request(), e.request(), () -> "request " + i + " bytes differ: captured "
          + preview(e.request()));
      assertArrayEquals(transcript.get(i).response(), e.response(), () -> "response " + i + " bytes differ: captured "
          + preview(e.response()));
    }
  }

  static String preview(byte[] bytes) {
    String s = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1);
    return s.replace("\r", "\\r").replace("\n", "\\n") + (bytes.length > 300 ? "... (" + bytes.length + " bytes)" : "");
  }

  /** The status of GET / through the proxy, on a connection of its own. */
  static int getRoot(ProxyServer proxy) throws Exception {
    try (RawHttp client = RawHttp.connect(proxy.address())) {
      return client.exchange(RawHttp.request("GET", "/"), "GET").status();
    }
  }
}
