package io.searchmigrate.transforms.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The user's own rules (replay {@code --rules FILE}): match requests on method, path and headers, then rewrite the
 * path, set or remove headers, or drop the request. The first rule that matches applies; later ones are not tried.
 *
 * <pre>{@code
 * {"rules": [
 *   {"name": "no-monitoring", "match": {"method": "GET", "path": "^/_(nodes|cat)/"}, "drop": true},
 *   {"name": "renamed-index", "match": {"path": "^/orders_v1(/|$)"},
 *    "rewrite_path": {"from": "^/orders_v1", "to": "/orders"}},
 *   {"name": "tag-legacy", "match": {"header": {"User-Agent": "legacy-app/.*"}},
 *    "set_headers": {"X-Migrated-From": "es6"}, "remove_headers": ["X-Debug"]}
 * ]}
 * }</pre>
 *
 * <p>{@code method} is a regular expression matched against the whole method (case ignored); {@code path} and header
 * values are regular expressions searched in the path (without the query) and the header's value. A rule without
 * {@code match} matches every request. {@code rewrite_path} replaces every match of {@code from} with {@code to}
 * ({@code $1} refers to groups).
 */
public final class UserRules implements RequestRewrite {
  private static final long serialVersionUID = 1L;
  private static final Set<String> RULE_KEYS = Set.of("name", "match", "drop", "rewrite_path", "set_headers", "remove_headers");
  private static final Set<String> MATCH_KEYS = Set.of("method", "path", "header");

  private record Rule(String name, Pattern method, Pattern path, Map<String, Pattern> headers, boolean drop, Pattern from,
      String to, Map<String, String> setHeaders, List<String> removeHeaders) implements Serializable {
    boolean matches(HttpRequestMessage request) {
      if (method != null && !method.matcher(request.method()).matches()) {
        return false;
      }
      if (path != null && !path.matcher(request.path()).find()) {
        return false;
      }
      for (Map.Entry<String, Pattern> header : headers.entrySet()) {
        String value = request.header(header.getKey());
        if (value == null || !header.getValue().matcher(value).find()) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Rule> rules;

  private UserRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Reads a rules file; an error names the file, the rule and what is wrong with it. */
  public static UserRules load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UserError("cannot read the rules file " + file + ": " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  static UserRules parse(String text, String origin) {
    JsonNode root;
    try {
      root = Json.parse(text);
    } catch (RuntimeException e) {
      throw new UserError("rules file " + origin + " is not JSON: " + e.getMessage());
    }
    if (!root.path("rules").isArray()) {
      throw new UserError("rules file " + origin + " should hold {\"rules\": [ ... ]} (see the replay section of the README)");
    }
    List<Rule> rules = new ArrayList<>();
    int n = 0;
    for (JsonNode rule : root.path("rules")) {
      n++;
      String where = "rules file " + origin + ", rule " + n + (rule.has("name") ? " ('" + rule.path("name").asText() + "')" : "");
      unknownKeys(rule, RULE_KEYS, where);
      JsonNode match = rule.path("match");
      if (!match.isMissingNode()) {
        unknownKeys(match, MATCH_KEYS, where + " match");
      }
      Map<String, Pattern> headers = new LinkedHashMap<>();
      match.path("header").fields().forEachRemaining(h -> headers.put(h.getKey(), pattern(h.getValue().asText(), where, 0)));
      Pattern from = null;
      String to = null;
      if (rule.has("rewrite_path")) {
        JsonNode rewrite = rule.path("rewrite_path");
        if (!rewrite.path("from").isTextual() || !rewrite.path("to").isTextual()) {
          throw new UserError(where + ": 'rewrite_path' needs 'from' (a regular expression) and 'to' (the replacement)");
        }
        from = pattern(rewrite.path("from").asText(), where, 0);
        to = rewrite.path("to").asText();
      }
      Map<String, String> set = new LinkedHashMap<>();
      rule.path("set_headers").fields().forEachRemaining(h -> set.put(h.getKey(), h.getValue().asText()));
      List<String> remove = new ArrayList<>();
      rule.path("remove_headers").forEach(h -> remove.add(h.asText()));
      boolean drop = rule.path("drop").asBoolean(false);
      if (!drop && from == null && set.isEmpty() && remove.isEmpty()) {
        throw new UserError(where + " does nothing: give it 'drop', 'rewrite_path', 'set_headers' or 'remove_headers'");
      }
      rules.add(new Rule(rule.path("name").asText("rule-" + n),
          match.has("method") ? pattern(match.path("method").asText(), where, Pattern.CASE_INSENSITIVE) : null,
          match.has("path") ? pattern(match.path("path").asText(), where, 0) : null, headers, drop, from, to, set, remove));
    }
    return new UserRules(rules);
  }

  @Override
  public String name() {
    return "user-rules";
  }

  /** The name of the first rule that matches, or null. */
  public String matchingRule(HttpRequestMessage request) {
    for (Rule rule : rules) {
      if (rule.matches(request)) {
        return rule.name();
      }
    }
    return null;
  }

  @Override
  public List<HttpRequestMessage> apply(HttpRequestMessage request) {
    for (Rule rule : rules) {
      if (!rule.matches(request)) {
        continue;
      }
      if (rule.drop()) {
        return List.of();
      }
      HttpRequestMessage r = request;
      if (rule.from() != null) {
        r = r.withPath(rule.from().matcher(r.path()).replaceAll(rule.to()));
      }
      for (String header : rule.removeHeaders()) {
        r = r.withoutHeader(header);
      }
      for (Map.Entry<String, String> header : rule.setHeaders().entrySet()) {
        r = r.withHeader(header.getKey(), header.getValue());
      }
      return List.of(r);
    }
    return List.of(request);
  }

  private static Pattern pattern(String regex, String where, int flags) {
    try {
      return Pattern.compile(regex, flags);
    } catch (PatternSyntaxException e) {
      throw new UserError(where + ": '" + regex + "' is not a regular expression: " + e.getDescription());
    }
  }

  private static void unknownKeys(JsonNode node, Set<String> known, String where) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new UserError(where + ": unknown key '" + name + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }
}
