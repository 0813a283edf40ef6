package io.searchmigrate.common;

import io.searchmigrate.common.http.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Repeatable {@code KEY=VALUE} options such as {@code --kafka-property}. Values may be {@code env:NAME} or
 * {@code file:PATH} ({@link Secret#fromReference}), so passwords (keystore, SASL) stay off command lines.
 *
 * <pre>{@code
 * Map<String, String> kafka = KeyValueOptions.parse("--kafka-property", List.of(
 *     "security.protocol=SSL", "ssl.keystore.password=env:KEYSTORE_PASSWORD"));
 * }</pre>
 */
public final class KeyValueOptions {
  private KeyValueOptions() {}

  /** Parses entries in order (a later key wins); errors name the option and never show a value. */
  public static Map<String, String> parse(String option, List<String> entries) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new UserError(option + " '" + entry.replaceAll("=.*", "=...") + "' should be KEY=VALUE "
            + "(a VALUE of env:NAME or file:PATH reads it from an environment variable or a file)");
      }
      String key = entry.substring(0, eq).trim();
      try {
        map.put(key, Secret.fromReference(entry.substring(eq + 1)).reveal());
      } catch (UserError e) {
        throw new UserError(option + " " + key + ": " + e.getMessage(), e);
      }
    }
    return map;
  }
}
