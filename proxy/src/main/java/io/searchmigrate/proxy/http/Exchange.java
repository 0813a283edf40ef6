package io.searchmigrate.proxy.http;

import java.util.Set;

/** One request on a connection and, once it arrives, its response. Touched only on the connection's event loop. */
public final class Exchange {
  private final int index;
  private final String method;
  private final String target;
  private final boolean mutating;
  private boolean suppressed;
  private boolean toTarget;

  public Exchange(int index, String method, String target) {
    this.index = index;
    this.method = method;
    this.target = target;
    this.mutating = isMutating(method, target);
  }

  /**
   * Elasticsearch and OpenSearch APIs that only read, though clients call them with POST to send a body: the first path
   * segment starting with '_' names the API (index names cannot start with '_'). Anything else is taken as a write.
   */
  private static final Set<String> READ_ONLY_POST_APIS = Set.of("_search", "_msearch", "_count", "_mget", "_field_caps",
      "_validate", "_explain", "_termvectors", "_mtermvectors", "_analyze", "_rank_eval", "_search_shards", "_render");

  /**
   * True when the request may change the source's data: PUT, DELETE and PATCH, and POST unless it goes to a read-only
   * API ({@code POST /logs/_search}, {@code _msearch}, {@code _count}, {@code _mget}, ...; see {@link #READ_ONLY_POST_APIS}).
   * Such writes are held for their capture; reads never wait for Kafka.
   */
  public static boolean isMutating(String method, String target) {
    return switch (method) {
      case "PUT", "DELETE", "PATCH" -> true;
      case "POST" -> !READ_ONLY_POST_APIS.contains(apiName(target));
      default -> false;
    };
  }

  /** The first path segment starting with '_' (e.g. "_search" in "/logs/_search?q=x"), or "" when there is none. */
  static String apiName(String target) {
    int start = 0;
    int schemeEnd = target.indexOf("://");
    if (schemeEnd >= 0 && schemeEnd < firstOf(target, "/?", 0)) {
      start = firstOf(target, "/?", schemeEnd + 3); // absolute form: skip scheme and authority
    }
    int end = firstOf(target, "?#", start);
    while (start < end) {
      int segmentEnd = firstOf(target, "/", start);
      segmentEnd = Math.min(segmentEnd, end);
      if (segmentEnd > start && target.charAt(start) == '_') {
        return target.substring(start, segmentEnd);
      }
      start = segmentEnd + 1;
    }
    return "";
  }

  private static int firstOf(String s, String chars, int from) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  /** 0-based position of the request on its connection. */
  public int index() {
    return index;
  }

  public String method() {
    return method;
  }

  public String target() {
    return target;
  }

  public boolean mutating() {
    return mutating;
  }

  /** True when a rule excluded this request (and its response) from capture. */
  public boolean suppressed() {
    return suppressed;
  }

  public void suppress() {
    this.suppressed = true;
  }

  /** True when the request goes to the switchover target (the proxy's mode when it arrived), false for the source. */
  public boolean toTarget() {
    return toTarget;
  }

  public void routeToTarget(boolean target) {
    this.toTarget = target;
  }
}
