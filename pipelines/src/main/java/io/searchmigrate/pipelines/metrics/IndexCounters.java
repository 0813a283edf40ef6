package io.searchmigrate.pipelines.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Beam counters per index, named {@code <index>|<what>} in one namespace, so a job can account for every index on any
 * runner from its metrics alone. One instance per DoFn instance (not thread-safe); looked up per document, so no
 * name is built on that path.
 *
 * <pre>{@code
 * IndexCounters counters = new IndexCounters("SnapshotIO");
 * counters.inc("orders", "documents", 1);          // counter "orders|documents" in namespace SnapshotIO
 * }</pre>
 */
public final class IndexCounters {
  /** Separates the index from what is counted; index names cannot hold it. */
  public static final char SEPARATOR = '|';

  private final String namespace;
  private final Map<String, Map<String, Counter>> counters = new HashMap<>();

  public IndexCounters(String namespace) {
    this.namespace = namespace;
  }

  public void inc(String index, String what, long n) {
    if (n != 0) {
      counters.computeIfAbsent(index, i -> new HashMap<>())
          .computeIfAbsent(what, w -> Metrics.counter(namespace, name(index, w)))
          .inc(n);
    }
  }

  public static String name(String index, String what) {
    return index + SEPARATOR + what;
  }

  /** The index of a counter name built by {@link #name}, or null for a counter that is not per index. */
  public static String indexOf(String counterName) {
    int bar = counterName.lastIndexOf(SEPARATOR);
    return bar < 0 ? null : counterName.substring(0, bar);
  }

  /** What a counter name built by {@link #name} counts. */
  public static String whatOf(String counterName) {
    return counterName.substring(counterName.lastIndexOf(SEPARATOR) + 1);
  }
}
