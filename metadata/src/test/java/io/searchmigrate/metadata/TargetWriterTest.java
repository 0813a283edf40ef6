package io.searchmigrate.metadata;

import static io.searchmigrate.metadata.TestItems.FOUND;
import static io.searchmigrate.metadata.TestItems.NOT_FOUND;
import static io.searchmigrate.metadata.TestItems.requestLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.testkit.ScriptedHttpServer.Reply;
import io.searchmigrate.transforms.metadata.TransformedItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Creating items on the target: never over what is there, a refused setting dropped, any other refusal reported. */
class TargetWriterTest {
  private static final TransformedItem BOOKS = TestItems.transformed(TestItems.index("books",
      "{\"index.number_of_shards\":\"1\",\"index.foo.bar\":\"x\"}", "{\"properties\":{\"title\":{\"type\":\"text\"}}}", "{}"));

  @Test
  void eachKindIsLookedUpWhereTheTargetKeepsIt() {
    TransformedItem legacy = TestItems.transformed(TestItems.template(TemplateMetadata.Kind.LEGACY, "old tpl", "{\"index_patterns\":[\"o-*\"]}"));
    TransformedItem composable = TestItems.transformed(TestItems.template(TemplateMetadata.Kind.INDEX, "it",
        "{\"index_patterns\":[\"i-*\"],\"template\":{}}"));
    TransformedItem component = TestItems.transformed(TestItems.template(TemplateMetadata.Kind.COMPONENT, "comp", "{\"template\":{}}"));
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, r) -> switch (r.method() + " " + r.pathAndQuery()) {
      case "HEAD /books", "GET /_index_template/it" -> FOUND;
      default -> NOT_FOUND;
    })) {
      TargetWriter writer = new TargetWriter(target.client());

      assertTrue(writer.exists(BOOKS));
      assertFalse(writer.exists(legacy));
      assertTrue(writer.exists(composable));
      assertFalse(writer.exists(component));

      assertEquals(List.of("HEAD /books", "HEAD /_template/old%20tpl", "GET /_index_template/it", "GET /_component_template/comp"),
          requestLines(target));
    }
  }

  @Test
  void anItemNotOnTheTargetIsCreatedWithItsBody() {
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, r) -> r.method().equals("PUT")
        ? Reply.json(200, "{\"acknowledged\":true,\"index\":\"books\"}") : NOT_FOUND)) {
      TargetWriter.Outcome outcome = new TargetWriter(target.client()).create(BOOKS);

      assertEquals(TargetWriter.Outcome.Status.CREATED, outcome.status);
      assertNull(outcome.reason);
      assertEquals(List.of("HEAD /books", "PUT /books"), requestLines(target));
      assertEquals(BOOKS.body(), TestItems.body(target.requests().get(1)));
    }
  }

  @Test
  void anItemAlreadyOnTheTargetIsLeftAsItIs() {
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, r) -> FOUND)) {
      TargetWriter.Outcome outcome = new TargetWriter(target.client()).create(BOOKS);

      assertEquals(TargetWriter.Outcome.Status.EXISTS, outcome.status);
      assertEquals(List.of("HEAD /books"), requestLines(target), "nothing written");
    }
  }

  @Test
  void anItemCreatedByOthersMeanwhileCountsAsExisting() {
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, r) -> r.method().equals("PUT")
        ? Reply.json(400, "{\"error\":{\"type\":\"resource_already_exists_exception\",\"reason\":\"index [books/x] already exists\"},"
            + "\"status\":400}") : NOT_FOUND)) {
      TargetWriter.Outcome outcome = new TargetWriter(target.client()).create(BOOKS);

      assertEquals(TargetWriter.Outcome.Status.EXISTS, outcome.status);
      assertNull(outcome.reason);
    }
  }

  @Test
  void aSettingTheTargetRefusesByNameIsDroppedAndTheItemCreatedWithAWarning() {
    String refusal = "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"unknown setting [index.foo.bar] please check "
        + "that any required plugins are installed\"},\"status\":400}";
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, r) -> !r.method().equals("PUT") ? NOT_FOUND
        : r.body().contains("foo.bar") ? Reply.json(400, refusal) : Reply.json(200, "{\"acknowledged\":true}"))) {
      TargetWriter.Outcome outcome = new TargetWriter(target.client()).create(BOOKS);

      assertEquals(TargetWriter.Outcome.Status.CREATED, outcome.status);
      assertEquals(List.of("HEAD /books", "PUT /books", "PUT /books"), requestLines(target));
      assertTrue(TestItems.body(target.requests().get(1)).path("settings").has("index.foo.bar"), "first sent as the source had it");
      assertEquals(List.of("index.number_of_shards"), fieldNames(TestItems.body(target.requests().get(2)).path("settings")));
      assertEquals(TestItems.body(target.requests().get(2)), outcome.item.body(), "the outcome holds the item as finally sent");
      assertEquals(List.of("setting index.foo.bar removed: the target rejected it (illegal_argument_exception: unknown setting "
          + "[index.foo.bar] please check that any required plugins are installed)"), outcome.item.warnings());
      assertTrue(outcome.item.applied().contains("drop-rejected-settings"), outcome.item.applied().toString());
    }
  }

  @Test
  void anyOtherRefusalIsReportedWithTheTargetsReasonAndNotRetried() {
    try (ScriptedHttpServer target = ScriptedHttpServer.start((n, r) -> r.method().equals("PUT")
        ? Reply.json(400, "{\"error\":{\"root_cause\":[{\"type\":\"mapper_parsing_exception\",\"reason\":\"No handler for type "
            + "[flattened] declared on field [attrs]\"}],\"type\":\"mapper_parsing_exception\",\"reason\":\"Failed to parse mapping "
            + "[_doc]: No handler for type [flattened] declared on field [attrs]\"},\"status\":400}")
        : NOT_FOUND)) {
      TargetWriter.Outcome outcome = new TargetWriter(target.client()).create(BOOKS);

      assertEquals(TargetWriter.Outcome.Status.FAILED, outcome.status);
      assertEquals("the target refused it (HTTP 400): mapper_parsing_exception: Failed to parse mapping [_doc]: No handler for type "
          + "[flattened] declared on field [attrs]", outcome.reason);
      assertEquals(List.of("HEAD /books", "PUT /books"), requestLines(target));
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
