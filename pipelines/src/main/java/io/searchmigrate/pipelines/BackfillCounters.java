package io.searchmigrate.pipelines;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Per-index Beam counters of a backfill, named {@code <index>|<kind>} in namespace {@value #NAMESPACE}; the end
 * summary is built from them, so it holds on every runner. One instance per DoFn instance (not thread-safe).
 */
public final class BackfillCounters {
  public static final String NAMESPACE = "backfill";

  /** What a counter counts. */
  public enum Kind {
    /** documents read from the snapshot */
    READ,
    /** documents the target acknowledged */
    WRITTEN,
    /** documents in the dead-letter output (transform or write failures) */
    FAILED,
    /** documents stored without a source: cannot be copied, reported in the dead-letter output */
    NO_SOURCE,
    /** Lucene documents without an id (nested children), carried inside their parent's source */
    NESTED;

    public String counterName(String index) {
      return index + "|" + name().toLowerCase();
    }
  }

  /** index -> counter per kind; looked up per document, so no string is built on that path. */
  private final Map<String, Counter[]> counters = new HashMap<>();

  public void inc(String index, Kind kind, long n) {
    if (n != 0) {
      Counter[] byKind = counters.computeIfAbsent(index, i -> new Counter[Kind.values().length]);
      Counter counter = byKind[kind.ordinal()];
      if (counter == null) {
        counter = Metrics.counter(NAMESPACE, kind.counterName(index));
        byKind[kind.ordinal()] = counter;
      }
      counter.inc(n);
    }
  }
}
