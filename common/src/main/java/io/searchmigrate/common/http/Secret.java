package io.searchmigrate.common.http;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A password or key that never shows up in logs, reports or {@code toString()}. */
public final class Secret implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** Reads the secret from an environment variable; fails with a clear message when it is not set. */
  public static Secret fromEnv(String variable) {
    String value = System.getenv(variable);
    if (value == null) {
      throw new UserError("environment variable " + variable + " is not set; export it with the password, or use a password file");
    }
    return new Secret(value);
  }

  /** Reads the secret from a file (trailing line breaks removed). */
  public static Secret fromFile(Path file) {
    try {
      return new Secret(Files.readString(file, StandardCharsets.UTF_8).replaceAll("[\r\n]+$", ""));
    } catch (IOException e) {
      throw new UserError("cannot read the password file " + file + ": " + e.getMessage());
    }
  }

  /**
   * A setting's value as a user writes it where secrets may appear: {@code env:NAME} reads the environment variable,
   * {@code file:PATH} the file, anything else is taken literally. So {@code --kafka-property
   * ssl.keystore.password=env:KEYSTORE_PASSWORD} keeps the password off the command line.
   */
  public static Secret fromReference(String value) {
    if (value.startsWith("env:")) {
      return fromEnv(value.substring(4));
    }
    if (value.startsWith("file:")) {
      return fromFile(Path.of(value.substring(5)));
    }
    return new Secret(value);
  }

  /** The secret itself; call only where it is sent, never where it could be printed. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "****";
  }
}
