package io.searchmigrate.proxy;

import static io.searchmigrate.proxy.ProxyTests.assertCapturedExactly;
import static io.searchmigrate.proxy.ProxyTests.awaitCaptureSettled;
import static io.searchmigrate.proxy.ProxyTests.capturedByClientPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureTopicReader;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A scripted workload against a real Elasticsearch 7.10.2, once directly and once through the proxy, each on
 * fresh indices whose names have the same length: every answer through the proxy must be the answer the
 * source gives directly, and the Kafka topic must hold every exchange byte for byte, in order per connection.
 */
class CaptureWorkloadTest {
  /** Small records, so that the large body is split across many of them. */
  private static final int MAX_RECORD = 64 * 1024;
  private static LocalCluster es;
  private static LocalKafka.Broker kafka;
  private static ProxyServer proxy;
  private static String topic;

  private record Step(String method, byte[] bytes) {}

  @BeforeAll
  static void start() {
    es = TestClusters.elasticsearch("7.10.2");
    kafka = TestKafka.shared();
    topic = ProxyTests.topic("workload");
    proxy = ProxyTests.start(ProxyTests.config(es.url(), kafka.bootstrap(), topic)
        .withCapture(Duration.ofSeconds(10), 64L * 1024 * 1024, MAX_RECORD));
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.shutdown();
    }
  }

  @Test
  void clientsGetTheSourcesAnswersAndTheTopicHoldsEveryExchange() throws IOException {
    String run = Long.toString(System.currentTimeMillis(), 36);
    String direct = "wl-d-" + run;
    String proxied = "wl-p-" + run;
    InetSocketAddress source = new InetSocketAddress("127.0.0.1", es.port());

    List<Step> directSteps = workload(direct);
    List<Step> proxiedSteps = workload(proxied);
    List<RawHttp.Response> directAnswers = new ArrayList<>();
    List<RawHttp.Response> proxiedAnswers = new ArrayList<>();
    List<RawHttp.Sent> sequential;
    int sequentialPort;
    try (RawHttp d = RawHttp.connect(source); RawHttp p = RawHttp.connect(proxy.address())) {
      for (int i = 0; i < directSteps.size(); i++) {
        directAnswers.add(d.exchange(directSteps.get(i).bytes(), directSteps.get(i).method()));
        proxiedAnswers.add(p.exchange(proxiedSteps.get(i).bytes(), proxiedSteps.get(i).method()));
      }
      sequential = p.transcript();
      sequentialPort = p.localPort();
    }

    // pipelining: four requests in one write, then four answers
    List<Step> directPipe = pipelined(direct);
    List<Step> proxiedPipe = pipelined(proxied);
    List<RawHttp.Sent> pipelined;
    int pipelinedPort;
    try (RawHttp d = RawHttp.connect(source); RawHttp p = RawHttp.connect(proxy.address())) {
      d.send(directPipe.stream().map(Step::bytes).toArray(byte[][]::new));
      p.send(proxiedPipe.stream().map(Step::bytes).toArray(byte[][]::new));
      for (int i = 0; i < directPipe.size(); i++) {
        directAnswers.add(d.read(directPipe.get(i).method()));
        proxiedAnswers.add(p.read(proxiedPipe.get(i).method()));
      }
      pipelined = p.transcript();
      pipelinedPort = p.localPort();
    }

    for (int i = 0; i < directAnswers.size(); i++) {
      assertSameAnswer(i, directAnswers.get(i), proxiedAnswers.get(i), direct, proxied);
    }
    // the workload really did what it claims (a broken workload would compare equal too)
    assertEquals(200, proxiedAnswers.get(0).status(), proxiedAnswers.get(0).bodyText());
    assertEquals("gzip", proxiedAnswers.get(13).header("content-encoding"), "the source compressed this answer");
    assertTrue(proxiedAnswers.get(15).body().length > 3_000_000, "the large document came back whole");
    assertTrue(proxiedAnswers.get(16).bodyText().contains("\"count\":55"), proxiedAnswers.get(16).bodyText());

    awaitCaptureSettled(proxy);
    Map<Integer, CaptureAssembler.Connection> captured = capturedByClientPort(kafka.bootstrap(), topic);
    assertNotNull(captured.get(sequentialPort), "the sequential connection was captured");
    assertNotNull(captured.get(pipelinedPort), "the pipelined connection was captured");
    assertCapturedExactly(captured.get(sequentialPort), sequential);
    assertCapturedExactly(captured.get(pipelinedPort), pipelined);
    assertEquals(List.of("PUT", "POST", "POST", "GET", "HEAD", "DELETE", "POST", "POST", "POST", "POST", "POST", "POST", "PUT",
            "GET", "GET", "GET", "GET", "DELETE", "GET"),
        captured.get(sequentialPort).exchanges().stream().map(CaptureAssembler.Exchange::method).toList());

    long recordsOfSequential = CaptureTopicReader.read(kafka.bootstrap(), topic, Map.of(), Duration.ofSeconds(60)).records().stream()
        .filter(r -> r.connectionId().equals(captured.get(sequentialPort).id())).count();
    assertTrue(recordsOfSequential > 2 * 3_000_000 / MAX_RECORD, "the 3 MB request and response were split across records: "
        + recordsOfSequential + " records");

    ProxyMetrics m = proxy.metrics();
    assertEquals(sequential.size() + pipelined.size(), m.requests.sum());
    assertEquals(m.mutatingRequests.sum(), m.captureConfirmed.sum(), "every mutating request went on only after Kafka had its capture");
    assertEquals(0, m.captureAtRisk.sum());
    assertEquals(0, m.captureRecordsDropped.sum() + m.captureRecordsFailed.sum());
  }

  /** Same status and headers, and the same body once index names and "took" are aligned. */
  private static void assertSameAnswer(int step, RawHttp.Response direct, RawHttp.Response proxied, String directIndex, String proxiedIndex)
      throws IOException {
    assertEquals(direct.statusLine(), proxied.statusLine(), "status of step " + step);
    byte[] directBody = direct.body();
    byte[] proxiedBody = proxied.body();
    boolean gzip = "gzip".equals(direct.header("content-encoding"));
    if (gzip) {
      directBody = gunzip(directBody);
      proxiedBody = gunzip(proxiedBody);
    }
    String d = normalize(new String(directBody, StandardCharsets.UTF_8)).replace(directIndex, proxiedIndex);
    String p = normalize(new String(proxiedBody, StandardCharsets.UTF_8));
    assertEquals(d, p, "body of step " + step);
    Map<String, List<String>> directHeaders = new LinkedHashMap<>(direct.headers());
    Map<String, List<String>> proxiedHeaders = new LinkedHashMap<>(proxied.headers());
    if (gzip || d.contains("\"took\":0")) {
      // the length follows "took" (and compression); everything else must match
      directHeaders.remove("content-length");
      proxiedHeaders.remove("content-length");
    }
    assertEquals(directHeaders.toString().replace(directIndex, proxiedIndex), proxiedHeaders.toString(), "headers of step " + step);
  }

  private static String normalize(String body) {
    return body.replaceAll("\"took\":\\d+", "\"took\":0");
  }

  private static List<Step> workload(String index) {
    List<Step> steps = new ArrayList<>();
    steps.add(new Step("PUT", RawHttp.json("PUT", "/" + index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,\"refresh_interval\":\"-1\"}}")));
    steps.add(new Step("POST", RawHttp.json("POST", "/" + index + "/_doc/1?refresh=true", "{\"title\":\"one\",\"n\":1}")));
    steps.add(new Step("POST", RawHttp.json("POST", "/" + index + "/_doc/2", "{\"title\":\"two\",\"n\":2}")));
    steps.add(new Step("GET", RawHttp.request("GET", "/" + index + "/_doc/1")));
    steps.add(new Step("HEAD", RawHttp.request("HEAD", "/" + index + "/_doc/2")));
    steps.add(new Step("DELETE", RawHttp.request("DELETE", "/" + index + "/_doc/2")));
    steps.add(new Step("POST", RawHttp.json("POST", "/" + index + "/_update/1", "{\"doc\":{\"n\":10}}")));
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      bulk.append("{\"index\":{\"_id\":\"b").append(i).append("\"}}\n{\"title\":\"bulk ").append(i).append("\",\"n\":").append(i).append("}\n");
    }
    steps.add(new Step("POST", RawHttp.request("POST", "/" + index + "/_bulk", "application/x-ndjson", bulk.toString().getBytes(StandardCharsets.UTF_8))));
    steps.add(new Step("POST", RawHttp.chunked("POST", "/" + index + "/_bulk", "application/x-ndjson",
        "{\"index\":{\"_id\":\"c1\"}}\n{\"title\":\"chun", "ked one\",\"n\":101}\n{\"index\":{\"_id\":\"c2\"}}\n",
        "{\"title\":\"chunked two\",\"n\":102}\n")));
    steps.add(new Step("POST", RawHttp.request("POST", "/" + index + "/_refresh")));
    steps.add(new Step("POST", RawHttp.json("POST", "/" + index + "/_search",
        "{\"query\":{\"range\":{\"n\":{\"gte\":5}}},\"sort\":[\"n\"],\"size\":5}")));
    steps.add(new Step("POST", RawHttp.request("POST", "/" + index + "/_doc/gz", "application/json",
        gzip("{\"title\":\"compressed request\",\"n\":7}"), "Content-Encoding: gzip")));
    steps.add(new Step("PUT", RawHttp.json("PUT", "/" + index + "/_doc/big", largeDocument())));
    steps.add(new Step("GET", RawHttp.request("GET", "/" + index + "/_search?size=3&sort=n", null, null, "Accept-Encoding: gzip")));
    steps.add(new Step("GET", RawHttp.request("GET", "/" + index + "/_refresh")));
    steps.add(new Step("GET", RawHttp.request("GET", "/" + index + "/_doc/big")));
    steps.add(new Step("GET", RawHttp.request("GET", "/" + index + "/_count")));
    steps.add(new Step("DELETE", RawHttp.request("DELETE", "/" + index + "/_doc/missing")));
    steps.add(new Step("GET", RawHttp.request("GET", "/" + index + "-absent/_search")));
    return steps;
  }

  /** At most one write and no requests that depend on each other: Elasticsearch may execute pipelined requests concurrently. */
  private static List<Step> pipelined(String index) {
    return List.of(
        new Step("GET", RawHttp.request("GET", "/" + index + "/_doc/1")),
        new Step("PUT", RawHttp.json("PUT", "/" + index + "/_doc/p1", "{\"title\":\"pipelined\",\"n\":200}")),
        new Step("HEAD", RawHttp.request("HEAD", "/" + index + "/_doc/b3")),
        new Step("GET", RawHttp.request("GET", "/" + index + "/_doc/missing-too")));
  }

  /** About 3.2 MB of JSON: larger than a capture record many times over. */
  private static String largeDocument() {
    StringBuilder text = new StringBuilder(3_300_000);
    for (int i = 0; text.length() < 3_200_000; i++) {
      text.append("line ").append(i).append(" of a large document; ");
    }
    return "{\"title\":\"big\",\"n\":1000,\"text\":\"" + text + "\"}";
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }
}
