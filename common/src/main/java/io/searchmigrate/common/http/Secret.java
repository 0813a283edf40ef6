package io.searchmigrate.common.http;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A password or key that never shows up in logs, reports or {@code toString()}, and never travels in clear: a secret
 * read from an environment variable or a file serializes as that reference only (a pipeline step shipped to a
 * worker reads it again there), and a secret given as a value refuses to be serialized at all.
 */
public final class Secret implements Serializable {
  private static final long serialVersionUID = 2L;
  /** Where the value comes from: "env:NAME" or "file:PATH"; null for a value given directly. */
  private final String reference;
  private transient String value;

  private Secret(String reference, String value) {
    this.reference = reference;
    this.value = value;
  }

  /** A value given directly (tests, interactive input); it can be used here but never serialized. */
  public static Secret of(String value) {
    return new Secret(null, value);
  }

  /** Reads the secret from an environment variable; fails with a clear message when it is not set. */
  public static Secret fromEnv(String variable) {
    return new Secret("env:" + variable, readEnv(variable));
  }

  /** Reads the secret from a file (trailing line breaks removed). */
  public static Secret fromFile(Path file) {
    return new Secret("file:" + file.toAbsolutePath(), readFile(file));
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
    return of(value);
  }

  /** The secret itself; call only where it is sent, never where it could be printed. Read again after a transfer. */
  public String reveal() {
    if (value == null && reference != null) {
      value = reference.startsWith("env:") ? readEnv(reference.substring(4)) : readFile(Path.of(reference.substring(5)));
    }
    return value;
  }

  private static String readEnv(String variable) {
    String value = System.getenv(variable);
    if (value == null) {
      throw new UserError("environment variable " + variable + " is not set; export it with the password, or use a password file");
    }
    return value;
  }

  private static String readFile(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).replaceAll("[\r\n]+$", "");
    } catch (IOException e) {
      throw new UserError("cannot read the password file " + file + ": " + (e instanceof NoSuchFileException
          ? "it does not exist" : e instanceof AccessDeniedException ? "permission denied" : e.toString()));
    }
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    if (reference == null) {
      throw new NotSerializableException("a password given as a value is never serialized (a pipeline step would carry it "
          + "in clear to its workers); give it as an environment variable or a file");
    }
    out.defaultWriteObject();
  }

  @Override
  public String toString() {
    return "****";
  }
}
