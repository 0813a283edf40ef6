package io.searchmigrate.proxy.http;

/** One request on a connection and, once it arrives, its response. Touched only on the connection's event loop. */
public final class Exchange {
  private final int index;
  private final String method;
  private final String target;
  private final boolean mutating;
  private boolean suppressed;

  public Exchange(int index, String method, String target) {
    this.index = index;
    this.method = method;
    this.target = target;
    this.mutating = isMutating(method);
  }

  public static boolean isMutating(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("DELETE") || method.equals("PATCH");
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
}
