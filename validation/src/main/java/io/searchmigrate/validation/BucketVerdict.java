package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * What summing by bucket found for one target index: documents on each side, how many sit in buckets both sides hold
 * alike (equal, no join needed), and the buckets that differ (their documents are compared one by one).
 *
 * <pre>{@code
 * BucketVerdict v = BucketVerdict.of("logs", sourceSums, targetSums);
 * report.count(v.index(), Category.EQUAL, v.equal());
 * if (v.differingBuckets().length > 0) { ... compare those buckets document by document ... }
 * }</pre>
 */
public final class BucketVerdict implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String index;
  private final long sourceCount;
  private final long targetCount;
  private final long equal;
  private final int[] differingBuckets;
  private final long differingDocuments;

  BucketVerdict(String index, long sourceCount, long targetCount, long equal, int[] differingBuckets,
      long differingDocuments) {
    this.index = Objects.requireNonNull(index);
    this.sourceCount = sourceCount;
    this.targetCount = targetCount;
    this.equal = equal;
    this.differingBuckets = differingBuckets.clone();
    this.differingDocuments = differingDocuments;
  }

  /** Compares one index's sums, bucket by bucket (either side may hold none: null). */
  static BucketVerdict of(String index, BucketSums source, BucketSums target) {
    int buckets = source != null ? source.buckets() : target.buckets();
    BucketSums none = new BucketSums(buckets);
    BucketSums s = source == null ? none : source;
    BucketSums t = target == null ? none : target;
    long equal = 0;
    long differingDocuments = 0;
    int[] differing = new int[buckets];
    int n = 0;
    for (int b = 0; b < buckets; b++) {
      if (s.sameAs(t, b)) {
        equal += s.count(b);
      } else {
        differing[n++] = b;
        differingDocuments += s.count(b) + t.count(b);
      }
    }
    return new BucketVerdict(index, s.total(), t.total(), equal, Arrays.copyOf(differing, n), differingDocuments);
  }

  public String index() {
    return index;
  }

  public long sourceCount() {
    return sourceCount;
  }

  public long targetCount() {
    return targetCount;
  }

  /** Documents (on either side, the same ones) in buckets both sides hold alike. */
  public long equal() {
    return equal;
  }

  /** The buckets whose documents differ somewhere, ascending. */
  public int[] differingBuckets() {
    return differingBuckets.clone();
  }

  /** Documents of both sides together in the differing buckets. */
  public long differingDocuments() {
    return differingDocuments;
  }

  public String toJsonLine() {
    ObjectNode node = Json.object().put("index", index).put("source_count", sourceCount).put("target_count", targetCount)
        .put("equal", equal).put("differing_documents", differingDocuments);
    ArrayNode buckets = node.putArray("differing_buckets");
    for (int b : differingBuckets) {
      buckets.add(b);
    }
    return Json.toString(node);
  }

  public static BucketVerdict fromJson(JsonNode node) {
    JsonNode buckets = node.path("differing_buckets");
    int[] differing = new int[buckets.size()];
    for (int i = 0; i < differing.length; i++) {
      differing[i] = buckets.get(i).asInt();
    }
    return new BucketVerdict(node.path("index").asText(), node.path("source_count").asLong(),
        node.path("target_count").asLong(), node.path("equal").asLong(), differing,
        node.path("differing_documents").asLong());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketVerdict v && index.equals(v.index) && sourceCount == v.sourceCount
        && targetCount == v.targetCount && equal == v.equal && Arrays.equals(differingBuckets, v.differingBuckets)
        && differingDocuments == v.differingDocuments;
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, sourceCount, targetCount, equal, Arrays.hashCode(differingBuckets));
  }

  @Override
  public String toString() {
    return index + ": " + equal + " equal, " + differingBuckets.length + " differing bucket(s)";
  }
}
