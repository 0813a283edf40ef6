package io.searchmigrate.common;

/**
 * A failure the user can act on. Its message says what was expected, what was found and what to do; the
 * console prints it without a stack trace.
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
