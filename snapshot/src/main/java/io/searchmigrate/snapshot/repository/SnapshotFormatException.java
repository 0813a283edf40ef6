package io.searchmigrate.snapshot.repository;

import io.searchmigrate.common.UserError;

/** The repository's content is damaged or in a form this reader does not know. The message names the file. */
public class SnapshotFormatException extends UserError {
  private static final long serialVersionUID = 1L;

  public SnapshotFormatException(String message) {
    super(message);
  }

  public SnapshotFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
