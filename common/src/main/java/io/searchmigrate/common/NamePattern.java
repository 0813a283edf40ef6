package io.searchmigrate.common;

import java.io.Serializable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How users name indices and templates on every command: an exact name, a simple {@code *} wildcard pattern, or
 * {@code regex:} followed by a Java regular expression matching the whole name.
 */
public final class NamePattern implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String text;
  private final String exact;
  private final Pattern pattern;

  private NamePattern(String text, String exact, Pattern pattern) {
    this.text = text;
    this.exact = exact;
    this.pattern = pattern;
  }

  public static NamePattern parse(String text) {
    String t = text.trim();
    if (t.startsWith("regex:")) {
      try {
        return new NamePattern(t, null, Pattern.compile(t.substring("regex:".length())));
      } catch (PatternSyntaxException e) {
        throw new UserError("'" + t + "' is not a valid regular expression: " + e.getDescription());
      }
    }
    if (t.contains("*")) {
      return new NamePattern(t, null, Pattern.compile("\\Q" + t.replace("*", "\\E.*\\Q") + "\\E"));
    }
    return new NamePattern(t, t, null);
  }

  public boolean matches(String name) {
    return exact != null ? exact.equals(name) : pattern.matcher(name).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
