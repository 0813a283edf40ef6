package io.searchmigrate.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them in flags: {@code 500ms}, {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, or ISO-8601
 * ({@code PT30M}).
 *
 * <pre>{@code
 * Duration timeout = Durations.parse("30m", "--target-unavailable-timeout");
 * }</pre>
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String text, String flag) {
    String t = text == null ? "" : text.trim().toLowerCase();
    Matcher m = SIMPLE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration parsed = Duration.parse(text.trim().toUpperCase());
      if (!parsed.isNegative()) {
        return parsed;
      }
    } catch (DateTimeParseException | NullPointerException e) {
      // explained below
    }
    throw new UserError(flag + " '" + text + "' is not a duration; write it like 90s, 30m, 2h or 500ms");
  }

  /** A duration as people read it: 45 s, 2 min 5 s, 1 h 30 min. */
  public static String human(Duration duration) {
    long seconds = Math.round(duration.toMillis() / 1000.0);
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 7200) {
      return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }
    return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
  }
}
