package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Visits every field definition of a mapping: properties at any depth (objects, nested), multi-fields, and the
 * field templates inside {@code dynamic_templates}, with the field's dotted path.
 */
public final class MappingWalker {
  /** Called once per field definition; may change it in place. */
  public interface FieldVisitor {
    void visit(String path, ObjectNode field);
  }

  private MappingWalker() {}

  public static void walk(ObjectNode mapping, FieldVisitor visitor) {
    if (mapping == null) {
      return;
    }
    walkProperties("", mapping.get("properties"), visitor);
    JsonNode templates = mapping.get("dynamic_templates");
    if (templates != null && templates.isArray()) {
      for (JsonNode entry : templates) {
        entry.fields().forEachRemaining(named -> {
          JsonNode field = named.getValue().get("mapping");
          if (field instanceof ObjectNode) {
            visitField("dynamic_templates." + named.getKey(), (ObjectNode) field, visitor);
          }
        });
      }
    }
  }

  private static void walkProperties(String prefix, JsonNode properties, FieldVisitor visitor) {
    if (properties == null || !properties.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue() instanceof ObjectNode) {
        visitField(prefix + e.getKey(), (ObjectNode) e.getValue(), visitor);
      }
    }
  }

  private static void visitField(String path, ObjectNode field, FieldVisitor visitor) {
    visitor.visit(path, field);
    walkProperties(path + ".", field.get("properties"), visitor);
    JsonNode multi = field.get("fields");
    if (multi != null && multi.isObject()) {
      multi.fields().forEachRemaining(sub -> {
        if (sub.getValue() instanceof ObjectNode) {
          visitor.visit(path + "." + sub.getKey(), (ObjectNode) sub.getValue());
        }
      });
    }
  }
}
