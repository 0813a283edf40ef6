package io.searchmigrate.console;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.http.ClusterResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's live clients: a few threads, each on its own keep-alive connection to the capture proxy and its own
 * documents, writing until stopped: index with an explicit id, partial updates, deletes of an earlier document.
 * Every answer is checked; a failed write is counted, never ignored.
 *
 * <pre>{@code
 * DemoWriter writer = DemoWriter.start(proxyUrl, "demo_live", true, 2);
 * writer.awaitRequests(100);
 * writer.stop();
 * }</pre>
 */
final class DemoWriter {
  private final String proxy;
  private final String index;
  private final boolean typeless;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> failures = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  private DemoWriter(String proxy, String index, boolean typeless) {
    this.proxy = proxy;
    this.index = index;
    this.typeless = typeless;
  }

  /** Starts {@code clients} writers through the proxy at {@code proxyUrl}; {@code typeless}: Elasticsearch 7+ URLs. */
  static DemoWriter start(String proxyUrl, String index, boolean typeless, int clients) {
    DemoWriter writer = new DemoWriter(proxyUrl, index, typeless);
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread = new Thread(() -> writer.write(client), "demo-writer-" + c);
      thread.setDaemon(true);
      writer.threads.add(thread);
      thread.start();
    }
    return writer;
  }

  private void write(int client) {
    ClusterClient http = ClusterClient.connect(ClusterEndpoint.of(proxy)); // its own client: its own connection
    String docs = "/" + index + (typeless ? "/_doc/" : "/doc/");
    for (int i = 0; !stopping.get(); i++) {
      String id = "c" + client + "-" + i;
      send(http, "PUT", docs + id, "{\"client\":" + client + ",\"n\":" + i + ",\"status\":\"new\"}");
      if (i % 3 == 1) {
        send(http, "POST", typeless ? "/" + index + "/_update/" + id : docs + id + "/_update", "{\"doc\":{\"status\":\"paid\"}}");
      }
      if (i % 5 == 2) {
        send(http, "DELETE", docs + "c" + client + "-" + (i - 1), null);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void send(ClusterClient http, String method, String path, String body) {
    try {
      ClusterResponse response = http.send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
          body == null ? null : ClusterClient.JSON, Duration.ofSeconds(30));
      if (response.status() >= 300) {
        fail(method + " " + path + ": " + response.status() + " " + response.bodyText());
      }
    } catch (RuntimeException e) {
      fail(method + " " + path + ": " + e.getMessage());
    }
    requests.incrementAndGet();
  }

  private synchronized void fail(String what) {
    failures.add(what);
  }

  /** Waits until at least {@code n} requests were answered in all. */
  void awaitRequests(int n) throws InterruptedException {
    while (requests.get() < n && threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(20);
    }
  }

  /** Stops every writer after its current document and waits for them. */
  void stop() throws InterruptedException {
    stopping.set(true);
    for (Thread thread : threads) {
      thread.join(60_000);
    }
  }

  int requests() {
    return requests.get();
  }

  synchronized List<String> failures() {
    return List.copyOf(failures);
  }
}
