package io.searchmigrate.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.SourceMetadata;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.testkit.ScriptedHttpServer;
import io.searchmigrate.transforms.metadata.MetadataTransformer;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import io.searchmigrate.transforms.metadata.TransformedItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Source items and target answers for the metadata tests: items go through the real transformer (ES 7.10 to OS 2.19). */
final class TestItems {
  static final ClusterVersion SOURCE_VERSION = ClusterVersion.parse("ES 7.10.2");
  /** What an OpenSearch 2.19.1 answers to GET /. */
  static final ScriptedHttpServer.Reply OPENSEARCH_ROOT = ScriptedHttpServer.Reply.json(200,
      "{\"version\":{\"distribution\":\"opensearch\",\"number\":\"2.19.1\"}}");
  static final ScriptedHttpServer.Reply NOT_FOUND = ScriptedHttpServer.Reply.json(404, "");
  static final ScriptedHttpServer.Reply FOUND = ScriptedHttpServer.Reply.json(200, "");

  private TestItems() {}

  static IndexMetadata index(String name, String settings, String mapping, String aliases) {
    return new IndexMetadata(name, Json.parse(settings), Map.of("_doc", Json.parse(mapping)), (ObjectNode) Json.parse(aliases));
  }

  static TemplateMetadata template(TemplateMetadata.Kind kind, String name, String body) {
    return TemplateMetadata.fromBody(kind, name, Json.parse(body), v -> v);
  }

  static TransformedItem transformed(IndexMetadata index) {
    return transformer().index(index).get(0);
  }

  static TransformedItem transformed(TemplateMetadata template) {
    return transformer().template(template);
  }

  private static MetadataTransformer transformer() {
    return new MetadataTransformer(SOURCE_VERSION, ClusterVersion.parse("OS 2.19.1"), MigrationOptions.defaults());
  }

  /** "METHOD /path" of every request the server received. */
  static List<String> requestLines(ScriptedHttpServer server) {
    return server.requests().stream().map(r -> r.method() + " " + r.pathAndQuery()).toList();
  }

  static JsonNode body(ScriptedHttpServer.Request request) {
    return Json.parse(request.body());
  }

  /** A source held in memory, listing its templates and indices in the order given (as a source would, unsorted). */
  static final class InMemorySource implements SourceMetadata {
    private final List<TemplateMetadata> templates = new ArrayList<>();
    private final Map<String, IndexMetadata> indices = new LinkedHashMap<>();

    InMemorySource with(TemplateMetadata template) {
      templates.add(template);
      return this;
    }

    InMemorySource with(IndexMetadata index) {
      indices.put(index.name(), index);
      return this;
    }

    @Override
    public String description() {
      return "test source";
    }

    @Override
    public ClusterVersion version() {
      return SOURCE_VERSION;
    }

    @Override
    public List<TemplateMetadata> templates() {
      return templates;
    }

    @Override
    public List<String> indexNames() {
      return new ArrayList<>(indices.keySet());
    }

    @Override
    public IndexMetadata index(String name) {
      return indices.get(name);
    }
  }
}
