package io.searchmigrate.common.http;

import io.searchmigrate.common.UserError;

/** The cluster answered, but not with success. The message carries the cluster's own reason. */
public class ClusterRequestException extends UserError {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String errorType;

  public ClusterRequestException(String method, String path, ClusterResponse response) {
    super(method + " " + path + " failed with HTTP " + response.status() + ": " + response.errorReason());
    this.status = response.status();
    this.errorType = response.errorType();
  }

  public int status() {
    return status;
  }

  public String errorType() {
    return errorType;
  }
}
