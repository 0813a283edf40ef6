package io.searchmigrate.proxy.http;

/** Bytes that do not frame as HTTP/1.1; {@link #status()} is the answer a client gets for it. */
public final class HttpFramingException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  public HttpFramingException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
