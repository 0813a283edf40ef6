package io.searchmigrate.common.http;

import io.searchmigrate.common.UserError;

/** No HTTP answer at all: connection refused, unknown host, timeout, TLS failure. */
public class ClusterUnreachableException extends UserError {
  private static final long serialVersionUID = 1L;

  public ClusterUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
