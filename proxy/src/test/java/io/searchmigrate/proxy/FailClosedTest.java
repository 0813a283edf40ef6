package io.searchmigrate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.capture.CaptureAssembler;
import io.searchmigrate.capture.CaptureTopicReader;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.launcher.LocalKafka;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code --on-capture-failure reject}: Kafka stops while clients write (single documents and bulks split across
 * several capture records). Every write answered 503 is absent from the source, every write answered 2xx is in the
 * topic; reads are served throughout; once Kafka is back, writes succeed again. Shares the outage test's broker,
 * which it stops and starts again.
 */
class FailClosedTest {
  private static final int WORKERS = 4;
  private static final int MAX_RECORD = 16 * 1024;
  /** Bulk bodies larger than a record: each bulk is split across several records. */
  private static final String PADDING = "p".repeat(20_000);

  /** One write and what its client got. */
  private record Write(byte[] request, List<String> ids, int status, String phase) {}

  @Test
  void writesAnswered503AreAbsentFromTheSourceAndWritesAnswered2xxAreInTheTopic() throws Exception {
    LocalCluster es = TestClusters.elasticsearch("7.10.2");
    LocalKafka.Broker broker = TestKafka.dedicated("test-kafka-outage");
    String topic = ProxyTests.topic("fail-closed");
    String index = "fail-closed-" + Long.toString(System.currentTimeMillis(), 36);
    ProxyConfig config = ProxyTests.config(es.url(), broker.bootstrap(), topic)
        .withCapture(Duration.ofSeconds(2), 256 * 1024, MAX_RECORD)
        .withOnCaptureFailure(ProxyConfig.OnCaptureFailure.REJECT);
    List<Write> writes = Collections.synchronizedList(new ArrayList<>());
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger searches = new AtomicInteger();
    AtomicInteger sequence = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> phase = new AtomicReference<>("before");
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    try (ProxyServer proxy = ProxyTests.start(config)) {
      try (RawHttp client = RawHttp.connect(proxy.address())) {
        assertEquals(200, client.exchange(RawHttp.json("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0}}"), "PUT").status());
      }
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        workers.add(pool.submit(() -> work(proxy, index, sequence, phase, stop, writes, searches, problems)));
      }
      awaitWrites(writes, "before", 2, 20);

      TestKafka.stop(broker);
      phase.set("outage");
      awaitWrites(writes, "outage", 503, 20);

      TestKafka.restart(broker);
      phase.set("restarting");
      ProxyTests.await(Duration.ofSeconds(120), "Kafka acknowledges captures again",
          () -> proxy.metrics().prometheusText().contains("searchmigrate_proxy_kafka_up 1\n"));
      phase.set("after");
      awaitWrites(writes, "after", 2, 10);
      stop.set(true);
      for (Future<?> f : workers) {
        f.get(2, TimeUnit.MINUTES);
      }
      assertEquals(List.of(), problems, "every write is answered 2xx or 503, every search 200");
      ProxyTests.awaitCaptureSettled(proxy);

      ProxyMetrics m = proxy.metrics();
      List<Write> refused = writes.stream().filter(w -> w.status() == 503).toList();
      List<Write> stored = writes.stream().filter(w -> w.status() / 100 == 2).toList();
      assertEquals(writes.size(), refused.size() + stored.size());
      assertEquals(refused.size(), m.captureRejected.sum(), "each 503 counted as rejected");
      assertEquals(0, m.captureAtRisk.sum(), "no write went to the source without its capture");
      assertEquals(stored.size() + 1, m.captureConfirmed.sum(), "each 2xx write confirmed, and the index creation");
      assertTrue(stored.stream().anyMatch(w -> w.ids().size() > 1), "bulks split across records were stored");
      assertTrue(refused.stream().anyMatch(w -> w.ids().size() > 1), "bulks split across records were refused");
      assertTrue(searches.get() > 0 && m.prometheusText().contains("searchmigrate_proxy_capture_rejected_total " + refused.size() + "\n"));

      // the source: nothing refused was applied; everything answered 2xx was
      HttpClient http = HttpClient.newHttpClient();
      for (Write w : writes) {
        for (String id : w.ids()) {
          int status = http.send(HttpRequest.newBuilder(URI.create(es.url() + "/" + index + "/_doc/" + id)).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
          assertEquals(w.status() == 503 ? 404 : 200, status, "document " + id + " of a write answered " + w.status());
        }
      }

      // the topic: every write answered 2xx is there, whole; a refused one that reached it has no response (replay skips it)
      Set<ByteBuffer> complete = new HashSet<>();
      Set<ByteBuffer> withoutResponse = new HashSet<>();
      // connections whose first records were dropped while Kafka was away have no OPEN: read them all, not by client port
      CaptureAssembler assembler = new CaptureAssembler();
      CaptureTopicReader.read(broker.bootstrap(), topic, Map.of(), Duration.ofSeconds(60)).records().forEach(assembler::add);
      for (CaptureAssembler.Connection c : assembler.connections()) {
        for (CaptureAssembler.Exchange e : c.exchanges()) {
          (e.status() > 0 ? complete : withoutResponse).add(ByteBuffer.wrap(e.request()));
          if (e.status() == 0 && e.index() >= 0) {
            assertTrue(c.errors().stream().anyMatch(x -> x.startsWith("request " + e.index() + " withheld from the source: "))
                || !c.missingSequences().isEmpty() || !c.ended(), "a request without response on " + c.id() + " is explained: " + c.errors());
          }
        }
      }
      for (Write w : stored) {
        assertTrue(complete.contains(ByteBuffer.wrap(w.request())) || withoutResponse.contains(ByteBuffer.wrap(w.request())),
            "write " + w.ids() + " answered " + w.status() + " is in the topic");
      }
      for (Write w : refused) {
        assertFalse(complete.contains(ByteBuffer.wrap(w.request())), "refused write " + w.ids() + " has no captured response");
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
      TestKafka.dedicated(broker.name()); // left running for the next test that uses it
    }
  }

  /** Writes (a document or a bulk of two) and searches until told to stop; reconnects after each 503, as the proxy closes then. */
  private static void work(ProxyServer proxy, String index, AtomicInteger sequence, AtomicReference<String> phase, AtomicBoolean stop,
      List<Write> writes, AtomicInteger searches, List<String> problems) {
    RawHttp client = null;
    try {
      while (!stop.get()) {
        if (client == null) {
          client = RawHttp.connect(proxy.address());
        }
        int n = sequence.getAndIncrement();
        String currentPhase = phase.get();
        byte[] request;
        List<String> ids;
        if (n % 3 == 2) {
          ids = List.of("b" + n + "a", "b" + n + "b");
          String body = "{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + ids.get(0) + "\"}}\n{\"n\":" + n + ",\"p\":\"" + PADDING
              + "\"}\n{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + ids.get(1) + "\"}}\n{\"n\":" + n + ",\"p\":\"" + PADDING + "\"}\n";
          request = RawHttp.request("POST", "/_bulk", "application/x-ndjson", body.getBytes(StandardCharsets.UTF_8));
        } else {
          ids = List.of("d" + n);
          request = RawHttp.json(n % 3 == 0 ? "PUT" : "POST", "/" + index + "/_doc/d" + n, "{\"n\":" + n + "}");
        }
        RawHttp.Response answer = client.exchange(request, "POST");
        writes.add(new Write(request, ids, answer.status(), currentPhase));
        if (answer.status() == 503) {
          if (!"1".equals(answer.header("retry-after")) || !client.closedByPeer()) {
            problems.add("a 503 without Retry-After or a connection left open: " + answer.bodyText());
          }
          client.close();
          client = null;
          Thread.sleep(50); // pacing while Kafka is away, not an assertion
          continue;
        }
        if (answer.status() / 100 != 2 || (ids.size() > 1 && !answer.bodyText().contains("\"errors\":false"))) {
          problems.add("write " + ids + ": " + answer.status() + " " + answer.bodyText());
        }
        RawHttp.Response search = client.exchange(RawHttp.json("POST", "/" + index + "/_search?size=0", "{\"query\":{\"match_all\":{}}}"), "POST");
        if (search.status() != 200) {
          problems.add("search: " + search.status() + " " + search.bodyText());
        }
        searches.incrementAndGet();
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      problems.add("worker failed: " + e);
    } finally {
      if (client != null) {
        try {
          client.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }

  /** Waits until {@code count} writes made in {@code phase} were answered with {@code status} (2 = any 2xx). */
  private static void awaitWrites(List<Write> writes, String phase, int status, int count) {
    ProxyTests.await(Duration.ofSeconds(180), count + " writes answered " + (status == 2 ? "2xx" : status) + " in phase " + phase, () -> {
      synchronized (writes) {
        return writes.stream().filter(w -> w.phase().equals(phase) && (status == 2 ? w.status() / 100 == 2 : w.status() == status))
            .count() >= count;
      }
    });
  }
}
