package io.searchmigrate.proxy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the proxy needs to run; built by {@link ProxyMain} from the command line, or directly by tests.
 *
 * @param kafkaBootstrap Kafka bootstrap servers, or null to capture nothing (forward only)
 * @param admin where /health and /metrics listen, or null for none
 * @param holdTimeout how long the last bytes of a mutating request may wait for Kafka; zero turns holding off
 * @param captureBufferBytes capture bytes that may wait for Kafka before new records are dropped
 * @param maxRecordBytes upper bound of one capture record; larger payloads are split across records
 * @param maxConnections client connections open at once; more are answered 503 and closed; 0 = no limit
 * @param onCaptureFailure forward (count as at risk) or reject (503) a mutating request whose capture is not acknowledged
 * @param target the cluster clients move to at a switchover ({@link ProxyServer#switchTo}), or null for none
 * @param captureCredentials keep credential headers in captures (else their values read
 *     {@link io.searchmigrate.capture.CredentialRedaction#MARKER}; the source always gets them unchanged)
 */
public record ProxyConfig(
    InetSocketAddress listen,
    URI source,
    String kafkaBootstrap,
    String topic,
    Map<String, String> kafkaProperties,
    InetSocketAddress admin,
    Path tlsCertificate,
    Path tlsKey,
    Path sourceCaCertificate,
    boolean sourceInsecure,
    Duration holdTimeout,
    long captureBufferBytes,
    int maxRecordBytes,
    int maxHeaderBytes,
    Duration headTimeout,
    Duration idleTimeout,
    Duration connectTimeout,
    Duration drainTimeout,
    int threads,
    String nodeId,
    CaptureRules rules,
    boolean captureCredentials,
    int maxConnections,
    OnCaptureFailure onCaptureFailure,
    TargetCluster target) {

  /** What happens to a mutating request whose capture Kafka does not acknowledge in time (or that the buffer cannot take). */
  public enum OnCaptureFailure {
    /** Forward it anyway and count it as at risk: clients never notice Kafka's trouble, replay may miss the write. */
    FORWARD,
    /** Answer 503 with Retry-After and never complete it towards the source: the source applies only captured writes. */
    REJECT
  }

  /** Defaults for everything but the four required settings. */
  public static ProxyConfig defaults(InetSocketAddress listen, URI source, String kafkaBootstrap, String topic) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, Map.of(), null, null, null, null, false,
        Duration.ofSeconds(2), 64L * 1024 * 1024, 1024 * 1024, 64 * 1024, Duration.ofSeconds(30), Duration.ofMinutes(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), 0, null, CaptureRules.NONE, false, 0, OnCaptureFailure.FORWARD, null);
  }

  public ProxyConfig withAdmin(InetSocketAddress a) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, a, tlsCertificate, tlsKey, sourceCaCertificate,
        sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout, idleTimeout, connectTimeout,
        drainTimeout, threads, nodeId, rules, captureCredentials, maxConnections, onCaptureFailure, target);
  }

  public ProxyConfig withTls(Path certificate, Path key) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, certificate, key, sourceCaCertificate,
        sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout, idleTimeout, connectTimeout,
        drainTimeout, threads, nodeId, rules, captureCredentials, maxConnections, onCaptureFailure, target);
  }

  public ProxyConfig withSourceTls(Path caCertificate, boolean insecure) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey, caCertificate,
        insecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout, idleTimeout, connectTimeout,
        drainTimeout, threads, nodeId, rules, captureCredentials, maxConnections, onCaptureFailure, target);
  }

  public ProxyConfig withKafkaProperties(Map<String, String> properties) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, Map.copyOf(properties), admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout,
        idleTimeout, connectTimeout, drainTimeout, threads, nodeId, rules, captureCredentials, maxConnections, onCaptureFailure, target);
  }

  public ProxyConfig withCapture(Duration hold, long bufferBytes, int recordBytes) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, hold, bufferBytes, recordBytes, maxHeaderBytes, headTimeout, idleTimeout,
        connectTimeout, drainTimeout, threads, nodeId, rules, captureCredentials, maxConnections, onCaptureFailure, target);
  }

  public ProxyConfig withLimits(int headerBytes, Duration head, Duration idle) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, headerBytes, head, idle,
        connectTimeout, drainTimeout, threads, nodeId, rules, captureCredentials, maxConnections, onCaptureFailure, target);
  }

  public ProxyConfig withDrainTimeout(Duration drain) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout,
        idleTimeout, connectTimeout, drain, threads, nodeId, rules, captureCredentials, maxConnections, onCaptureFailure, target);
  }

  public ProxyConfig withThreads(int n) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout,
        idleTimeout, connectTimeout, drainTimeout, n, nodeId, rules, captureCredentials, maxConnections, onCaptureFailure, target);
  }

  public ProxyConfig withNodeId(String id) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout,
        idleTimeout, connectTimeout, drainTimeout, threads, id, rules, captureCredentials, maxConnections, onCaptureFailure, target);
  }

  public ProxyConfig withRules(CaptureRules r) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout,
        idleTimeout, connectTimeout, drainTimeout, threads, nodeId, r, captureCredentials, maxConnections, onCaptureFailure, target);
  }

  /** Keeps credential headers in the captured copy of requests (replay must reuse clients' credentials). */
  public ProxyConfig withCaptureCredentials(boolean keep) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout,
        idleTimeout, connectTimeout, drainTimeout, threads, nodeId, rules, keep, maxConnections, onCaptureFailure, target);
  }

  public ProxyConfig withMaxConnections(int max) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout,
        idleTimeout, connectTimeout, drainTimeout, threads, nodeId, rules, captureCredentials, max, onCaptureFailure, target);
  }

  public ProxyConfig withOnCaptureFailure(OnCaptureFailure policy) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout,
        idleTimeout, connectTimeout, drainTimeout, threads, nodeId, rules, captureCredentials, maxConnections, policy, target);
  }

  /** The cluster the proxy can switch clients over to, and whether it sends them there from the start. */
  public ProxyConfig withTarget(TargetCluster t) {
    return new ProxyConfig(listen, source, kafkaBootstrap, topic, kafkaProperties, admin, tlsCertificate, tlsKey,
        sourceCaCertificate, sourceInsecure, holdTimeout, captureBufferBytes, maxRecordBytes, maxHeaderBytes, headTimeout,
        idleTimeout, connectTimeout, drainTimeout, threads, nodeId, rules, captureCredentials, maxConnections, onCaptureFailure, t);
  }

  /**
   * The target cluster of a switchover: where new requests go once the proxy is switched (capture is off for them).
   *
   * @param url http(s)://host:port
   * @param caCertificate PEM certificates to trust for an https target, or null for the JDK's trust store
   * @param insecure no certificate or host name check towards the target (only when asked for)
   * @param setHeaders headers set on requests towards the target (its credentials, when they differ from the source's)
   * @param startThere forward to the target from the start (a proxy restarted after a switchover)
   * @param switchToken what a switch request must present ({@code POST /mode} on the admin port); null: only clients on
   *     this machine's loopback may switch
   */
  public record TargetCluster(URI url, Path caCertificate, boolean insecure, java.util.List<CaptureRules.SetHeader> setHeaders,
      boolean startThere, String switchToken) {
    public TargetCluster {
      setHeaders = java.util.List.copyOf(setHeaders);
    }

    @Override
    public String toString() {
      return url + (startThere ? " (from the start)" : "") + (switchToken != null ? ", switch token ****" : "");
    }

    public boolean tls() {
      return "https".equalsIgnoreCase(url.getScheme());
    }

    public int port() {
      return url.getPort() > 0 ? url.getPort() : tls() ? 443 : 80;
    }
  }

  public boolean sourceTls() {
    return "https".equalsIgnoreCase(source.getScheme());
  }

  public int sourcePort() {
    return source.getPort() > 0 ? source.getPort() : sourceTls() ? 443 : 80;
  }
}
