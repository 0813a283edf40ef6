package io.searchmigrate.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The project's one HTTP client for Elasticsearch and OpenSearch clusters (sources and targets alike).
 * Plain JSON over HTTP/1.1, so it speaks to every version from Elasticsearch 5 to OpenSearch 3.
 *
 * <pre>{@code
 * ClusterClient client = ClusterClient.connect(ClusterEndpoint.of("http://localhost:9200"));
 * JsonNode health = client.getJson("/_cluster/health");
 * client.putJson("/my-index", Json.object()).requireSuccess();
 * }</pre>
 *
 * <p>Failures to get any answer become {@link ClusterUnreachableException} with a message saying what to
 * check; answers are returned as {@link ClusterResponse} whatever their status.
 */
public final class ClusterClient {
  public static final String JSON = "application/json";
  public static final String NDJSON = "application/x-ndjson";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** The largest answer kept in memory; bigger ones fail the request rather than the JVM. */
  public static final int MAX_RESPONSE_BYTES = 256 << 20;
  /** How the JDK names an HTTP client's selector thread. */
  private static final Pattern SELECTOR_THREAD = Pattern.compile("HttpClient-\\d+-SelectorManager");

  private final ClusterEndpoint endpoint;
  private final HttpClient http;
  private final String authorization;
  /** Signs every request when the endpoint asks for AWS SigV4; null otherwise. */
  private final SigV4Signer signer;
  private final int maxResponseBytes;

  private ClusterClient(ClusterEndpoint endpoint, int maxResponseBytes) {
    this.endpoint = endpoint;
    this.maxResponseBytes = maxResponseBytes;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (endpoint.isHttps()) {
      builder.sslContext(sslContext(endpoint));
    }
    this.http = builder.build();
    this.authorization = endpoint.username() == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(
            (endpoint.username() + ":" + (endpoint.password() == null ? "" : endpoint.password().reveal()))
                .getBytes(StandardCharsets.UTF_8));
    this.signer = endpoint.sigV4() == null ? null : SigV4Signer.withDefaultCredentials(endpoint.sigV4());
  }

  public static ClusterClient connect(ClusterEndpoint endpoint) {
    return new ClusterClient(endpoint, MAX_RESPONSE_BYTES);
  }

  /**
   * For a process about to exit, once its requests are answered: ends the selector threads of Java's HTTP clients
   * (this one's and any other's in the JVM), so that they no longer hold up the exit. Such a thread waits for its
   * sockets in native code, and the JVM's exit waits for threads in native code for about 0.3 s before going on
   * without them, on every command that sent a request; interrupted, a selector thread stops at once. Java 17's
   * client has no {@code close()}; the threads are known by the name the JDK gives them, so a JDK naming them
   * otherwise only brings the wait back. Returns how many were ended.
   */
  public static int endSelectorThreadsBeforeExit() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 16];
    int count = root.enumerate(threads, true);
    List<Thread> selectors = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (SELECTOR_THREAD.matcher(threads[i].getName()).matches()) {
        threads[i].interrupt();
        selectors.add(threads[i]);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200); // they stop in well under a millisecond
    int ended = 0;
    for (Thread selector : selectors) {
      try {
        selector.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      ended += selector.isAlive() ? 0 : 1;
    }
    return ended;
  }

  /** A client keeping answers of at most {@code maxResponseBytes} (tests of the bound). */
  static ClusterClient connect(ClusterEndpoint endpoint, int maxResponseBytes) {
    return new ClusterClient(endpoint, maxResponseBytes);
  }

  public ClusterEndpoint endpoint() {
    return endpoint;
  }

  public ClusterResponse get(String path) {
    return send("GET", path, null, null, DEFAULT_TIMEOUT);
  }

  public ClusterResponse head(String path) {
    return send("HEAD", path, null, null, DEFAULT_TIMEOUT);
  }

  public ClusterResponse delete(String path) {
    return send("DELETE", path, null, null, DEFAULT_TIMEOUT);
  }

  public ClusterResponse putJson(String path, JsonNode body) {
    return send("PUT", path, Json.toBytes(body), JSON, DEFAULT_TIMEOUT);
  }

  public ClusterResponse postJson(String path, JsonNode body) {
    return send("POST", path, body == null ? null : Json.toBytes(body), JSON, DEFAULT_TIMEOUT);
  }

  /** GETs a path and returns its JSON body; any non-2xx answer throws {@link ClusterRequestException}. */
  public JsonNode getJson(String path) {
    return get(path).requireSuccess().json();
  }

  /**
   * Sends one request and returns the answer whatever its status. Throws {@link ClusterUnreachableException}
   * when no answer comes.
   */
  public ClusterResponse send(String method, String path, byte[] body, String contentType, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(timeout);
    if (body != null) {
      request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
      request.header("Content-Type", contentType == null ? JSON : contentType);
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (signer != null) {
      java.net.URI uri = endpoint.resolve(path);
      signer.sign(method, uri, body != null ? java.util.Map.of("Content-Type", contentType == null ? JSON : contentType)
          : java.util.Map.of(), body).forEach(request::header);
    }
    // The request timeout of the JDK client stops at the headers: a server that stalls in the middle of a body would
    // hold this thread forever. The whole exchange, body included, gets the same bound.
    CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request.build(), info -> new BoundedBody(maxResponseBytes));
    try {
      HttpResponse<byte[]> response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ClusterResponse(method, path, response.statusCode(), response.body());
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new ClusterUnreachableException("interrupted while waiting for " + endpoint.url(), e);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new ClusterUnreachableException("cannot reach " + endpoint.url() + ": " + method + " " + path
          + " got no complete answer within " + timeout.toSeconds() + " s. The cluster may be overloaded", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ResponseTooLarge) {
        throw new UserError(endpoint.url() + " answered " + method + " " + path + " with more than " + maxResponseBytes
            + " bytes, more than this client keeps in memory; ask for less (smaller pages or batches)");
      }
      IOException io = cause instanceof IOException ? (IOException) cause : new IOException(cause);
      throw unreachable(method, path, timeout, io);
    }
  }

  /** Collects a body up to a limit, then gives up on the exchange. */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + buffer.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new ResponseTooLarge());
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }

  private static final class ResponseTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }

  private ClusterUnreachableException unreachable(String method, String path, Duration timeout, IOException e) {
    String where = endpoint.url();
    String reason;
    if (e instanceof HttpConnectTimeoutException) {
      reason = "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s. Check the host, port and any firewall";
    } else if (e instanceof HttpTimeoutException) {
      reason = method + " " + path + " got no answer within " + timeout.toSeconds() + " s. The cluster may be overloaded";
    } else if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
      reason = "connection refused. Is the cluster running, and is the port right?";
    } else if (e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException) {
      reason = "unknown host. Check the host name in the URL";
    } else if ((e instanceof SSLException || e.getCause() instanceof SSLException)
        && String.valueOf(e.getMessage()).contains("plaintext connection")) {
      reason = "it answers plain HTTP, not TLS. Use " + where.replaceFirst("^https://", "http://") + " instead";
    } else if (e instanceof SSLException || e.getCause() instanceof SSLException) {
      reason = "TLS failed (" + e.getMessage() + "). If the cluster uses a private certificate authority pass its "
          + "certificate with --*-ca-cert FILE; --*-insecure turns verification off";
    } else if (String.valueOf(e.getMessage()).contains("header parser received no bytes")) {
      reason = "it closed the connection without an HTTP answer. Is this the HTTP port of Elasticsearch or OpenSearch "
          + "(9200 by default), not another service's?";
    } else {
      reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    return new ClusterUnreachableException("cannot reach " + where + ": " + reason, e);
  }

  /** Percent-encodes one path segment (an index, template or snapshot name). */
  public static String segment(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static SSLContext sslContext(ClusterEndpoint endpoint) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      if (endpoint.insecureTls()) {
        context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
      } else if (endpoint.caCertificate() != null) {
        context.init(null, trustManagersFor(Path.of(endpoint.caCertificate())), new SecureRandom());
      } else {
        context.init(null, null, new SecureRandom());
      }
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new UserError("cannot set up TLS for " + endpoint.url() + ": " + e.getMessage(), e);
    }
  }

  private static TrustManager[] trustManagersFor(Path pemFile) throws GeneralSecurityException, IOException {
    if (!Files.isReadable(pemFile)) {
      throw new UserError("CA certificate file " + pemFile + " does not exist or is not readable");
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    int n = 0;
    try (InputStream in = Files.newInputStream(pemFile)) {
      for (Certificate certificate : factory.generateCertificates(in)) {
        store.setCertificateEntry("ca-" + n++, certificate);
      }
    }
    if (n == 0) {
      throw new UserError("no certificate found in " + pemFile + "; expected PEM text starting with -----BEGIN CERTIFICATE-----");
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf.getTrustManagers();
  }

  /** Used only when the user turned verification off explicitly: no certificate or host name checks. */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
    @Override public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
