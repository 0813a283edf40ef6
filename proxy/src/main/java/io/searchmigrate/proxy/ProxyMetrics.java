package io.searchmigrate.proxy;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The proxy's counters, exposed as Prometheus text on the admin port ({@code GET /metrics}). */
public final class ProxyMetrics {
  private static final String P = "searchmigrate_proxy_";
  /** Upper bounds (seconds) of the capture latency histogram buckets. */
  private static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  public final LongAdder connectionsOpened = new LongAdder();
  public final AtomicLong connectionsActive = new AtomicLong();
  public final LongAdder requests = new LongAdder();
  public final LongAdder mutatingRequests = new LongAdder();
  public final LongAdder responses = new LongAdder();
  public final LongAdder requestBytes = new LongAdder();
  public final LongAdder responseBytes = new LongAdder();
  public final LongAdder requestsSuppressed = new LongAdder();
  public final LongAdder badRequests = new LongAdder();
  public final LongAdder sourceConnectFailures = new LongAdder();
  public final LongAdder targetConnectFailures = new LongAdder();
  public final LongAdder requestsToTarget = new LongAdder();
  public final LongAdder mutatingRequestsToTarget = new LongAdder();
  public final LongAdder switches = new LongAdder();
  public final LongAdder captureRecordsSubmitted = new LongAdder();
  public final LongAdder captureRecordsStored = new LongAdder();
  public final LongAdder captureRecordsDropped = new LongAdder();
  public final LongAdder captureBytesDropped = new LongAdder();
  public final LongAdder captureRecordsFailed = new LongAdder();
  public final LongAdder captureAtRisk = new LongAdder();
  public final LongAdder captureConfirmed = new LongAdder();
  public final LongAdder captureRejected = new LongAdder();
  public final AtomicLong captureBufferedBytes = new AtomicLong();
  public final AtomicLong captureBufferedRecords = new AtomicLong();
  public final AtomicLong captureBuildingBytes = new AtomicLong();
  public final AtomicLong captureMemoryPeakBytes = new AtomicLong();
  private final AtomicLongArray latencyBuckets = new AtomicLongArray(LATENCY_BUCKETS.length + 1);
  private final LongAdder latencySumMicros = new LongAdder();
  private volatile LongSupplier kafkaUp = () -> 0;
  private volatile LongSupplier onTarget = () -> 0;

  /** Time from handing a record to the sink to Kafka's acknowledgement. */
  public void recordCaptureLatency(long nanos) {
    double seconds = nanos / 1e9;
    int i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]) {
      i++;
    }
    latencyBuckets.incrementAndGet(i);
    latencySumMicros.add(nanos / 1000);
  }

  void kafkaUp(LongSupplier up) {
    this.kafkaUp = up;
  }

  void onTarget(LongSupplier target) {
    this.onTarget = target;
  }

  /** Prometheus text exposition format, version 0.0.4. */
  public String prometheusText() {
    StringBuilder out = new StringBuilder(4096);
    counter(out, "connections_opened_total", "Client connections accepted.", connectionsOpened.sum());
    gauge(out, "connections_active", "Client connections open now.", connectionsActive.get());
    counter(out, "requests_total", "Requests received from clients (complete heads).", requests.sum());
    counter(out, "mutating_requests_total", "POST, PUT, DELETE and PATCH requests.", mutatingRequests.sum());
    counter(out, "responses_total", "Complete responses relayed from the source.", responses.sum());
    counter(out, "request_bytes_total", "Request bytes forwarded to the source.", requestBytes.sum());
    counter(out, "response_bytes_total", "Bytes relayed from the source to clients.", responseBytes.sum());
    counter(out, "requests_suppressed_total", "Requests forwarded without capture because a rule matched.", requestsSuppressed.sum());
    counter(out, "bad_requests_total", "Requests rejected by the proxy (malformed, oversized header, too slow).", badRequests.sum());
    counter(out, "source_connect_failures_total", "Failed connections to the source.", sourceConnectFailures.sum());
    gauge(out, "on_target", "1 while requests arriving go to the switchover target (not captured), 0 while they go to the source.",
        onTarget.getAsLong());
    counter(out, "switches_total", "Switches between source and target (proxy switch).", switches.sum());
    counter(out, "requests_to_target_total", "Requests routed to the target (included in requests_total).", requestsToTarget.sum());
    counter(out, "mutating_requests_to_target_total", "Mutating requests routed to the target: writes the source does not have.",
        mutatingRequestsToTarget.sum());
    counter(out, "target_connect_failures_total", "Failed connections to the target.", targetConnectFailures.sum());
    counter(out, "capture_records_submitted_total", "Capture records handed to the Kafka producer queue.", captureRecordsSubmitted.sum());
    counter(out, "capture_records_stored_total", "Capture records acknowledged by Kafka.", captureRecordsStored.sum());
    counter(out, "capture_records_dropped_total", "Capture records dropped because the capture buffer was full.", captureRecordsDropped.sum());
    counter(out, "capture_bytes_dropped_total", "Bytes of the dropped capture records.", captureBytesDropped.sum());
    counter(out, "capture_records_failed_total", "Capture records Kafka did not accept in time (lost).", captureRecordsFailed.sum());
    counter(out, "capture_confirmed_total", "Mutating requests forwarded only after Kafka acknowledged their capture.", captureConfirmed.sum());
    counter(out, "capture_at_risk_total", "Mutating requests forwarded before their capture was acknowledged.", captureAtRisk.sum());
    counter(out, "capture_rejected_total", "Mutating requests answered 503 and withheld from the source because their capture "
        + "was not acknowledged (--on-capture-failure reject).", captureRejected.sum());
    gauge(out, "capture_buffered_bytes", "Capture bytes waiting for Kafka's acknowledgement.", captureBufferedBytes.get());
    gauge(out, "capture_buffered_records", "Capture records waiting for Kafka's acknowledgement.", captureBufferedRecords.get());
    gauge(out, "capture_building_bytes", "Bytes of the capture records connections are building (buffers they hold).",
        captureBuildingBytes.get());
    gauge(out, "capture_memory_peak_bytes", "Highest capture memory so far (waiting for Kafka plus being built); stays within "
        + "--capture-buffer.", captureMemoryPeakBytes.get());
    gauge(out, "kafka_up", "1 while Kafka acknowledges captures, 0 after a failure or an overdue acknowledgement.", kafkaUp.getAsLong());
    String name = P + "capture_latency_seconds";
    out.append("# HELP ").append(name).append(" Time from a finished capture record to Kafka's acknowledgement.\n");
    out.append("# TYPE ").append(name).append(" histogram\n");
    long cumulative = 0;
    for (int i = 0; i <= LATENCY_BUCKETS.length; i++) {
      cumulative += latencyBuckets.get(i);
      String le = i < LATENCY_BUCKETS.length ? BigDecimal.valueOf(LATENCY_BUCKETS[i]).toPlainString() : "+Inf";
      out.append(name).append("_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
    }
    out.append(name).append("_sum ").append(latencySumMicros.sum() / 1e6).append('\n');
    out.append(name).append("_count ").append(cumulative).append('\n');
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    metric(out, name, help, "counter", value);
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    metric(out, name, help, "gauge", value);
  }

  private static void metric(StringBuilder out, String name, String help, String type, long value) {
    out.append("# HELP ").append(P).append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(P).append(name).append(' ').append(type).append('\n');
    out.append(P).append(name).append(' ').append(value).append('\n');
  }
}
