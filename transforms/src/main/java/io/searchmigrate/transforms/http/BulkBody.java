package io.searchmigrate.transforms.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code _bulk} body's lines with its action lines parsed (source lines stay text, never parsed): the one walk the
 * request rewrites and {@link RequestScope} share. Action lines may be changed in place, then {@link #toBytes()}.
 *
 * <pre>{@code
 * BulkBody bulk = BulkBody.parse(request.bodyText());
 * for (int n = 0; n < bulk.size(); n++) { bulk.edit(n).remove("_type"); }
 * request.withBody(bulk.toBytes());
 * }</pre>
 */
final class BulkBody {
  private static final Set<String> ACTIONS = Set.of("index", "create", "update", "delete");

  private final String[] lines;
  private final List<Integer> actionLines;
  private final List<ObjectNode> actions;
  private final BitSet edited = new BitSet();

  private BulkBody(String[] lines, List<Integer> actionLines, List<ObjectNode> actions) {
    this.lines = lines;
    this.actionLines = actionLines;
    this.actions = actions;
  }

  /** @throws IllegalArgumentException naming the first line that is not an action line where one was expected */
  static BulkBody parse(String text) {
    String[] lines = text.split("\n", -1);
    List<Integer> actionLines = new ArrayList<>();
    List<ObjectNode> actions = new ArrayList<>();
    boolean expectSource = false;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      if (expectSource) {
        expectSource = false;
        continue;
      }
      if (!(Json.parseOrNull(lines[i].getBytes(StandardCharsets.UTF_8)) instanceof ObjectNode action) || action.size() != 1
          || !ACTIONS.contains(action.fieldNames().next()) || !action.elements().next().isObject()) {
        String line = lines[i].length() > 80 ? lines[i].substring(0, 80) + "..." : lines[i];
        throw new IllegalArgumentException("not a bulk action line: " + line);
      }
      actionLines.add(i);
      actions.add(action);
      expectSource = !action.fieldNames().next().equals("delete");
    }
    return new BulkBody(lines, actionLines, actions);
  }

  /** The body's action lines parsed, or null when it is not a bulk body this can follow item by item. */
  static BulkBody parseOrNull(String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException notBulk) {
      return null;
    }
  }

  int size() {
    return actions.size();
  }

  /** {@code index}, {@code create}, {@code update} or {@code delete}. */
  String verb(int n) {
    return actions.get(n).fieldNames().next();
  }

  /** The item's metadata ({@code _index}, {@code _id}, ...), to read. */
  JsonNode meta(int n) {
    return actions.get(n).get(verb(n));
  }

  /** The item's metadata to change: its line is written anew by {@link #toBytes()}. */
  ObjectNode edit(int n) {
    edited.set(n);
    return (ObjectNode) actions.get(n).get(verb(n));
  }

  /** The item's action becomes {@code verb}, with the same metadata. */
  void changeVerb(int n, String verb) {
    ObjectNode meta = edit(n);
    actions.get(n).removeAll();
    actions.get(n).set(verb, meta);
  }

  /** The body with the edited action lines written anew; every other line as it was. */
  byte[] toBytes() {
    String[] out = lines.clone();
    for (int n = edited.nextSetBit(0); n >= 0; n = edited.nextSetBit(n + 1)) {
      out[actionLines.get(n)] = Json.toString(actions.get(n));
    }
    return String.join("\n", out).getBytes(StandardCharsets.UTF_8);
  }
}
