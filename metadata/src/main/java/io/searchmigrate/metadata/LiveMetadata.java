package io.searchmigrate.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.Mappings;
import io.searchmigrate.common.metadata.SourceMetadata;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A live cluster's metadata as a migration source, read over its REST API in the shape of each version
 * (typed mappings up to 6.x, {@code include_type_name} on 7.x, composable templates from 7.8).
 */
public final class LiveMetadata implements SourceMetadata {
  private final ClusterClient client;
  private final ClusterVersion version;
  private List<TemplateMetadata> templates;
  private Map<String, IndexMetadata> indices;

  public LiveMetadata(ClusterClient client) {
    this.client = client;
    this.version = ClusterVersion.detect(client);
  }

  @Override
  public String description() {
    return client.endpoint().url() + " (" + version + ")";
  }

  @Override
  public ClusterVersion version() {
    return version;
  }

  @Override
  public synchronized List<TemplateMetadata> templates() {
    if (templates == null) {
      List<TemplateMetadata> list = new ArrayList<>();
      UnaryOperator<JsonNode> plain = v -> v;
      String typed = version.isElasticsearch() && version.major() == 7 ? "?include_type_name=true" : "";
      optional("/_template" + typed).fields().forEachRemaining(e ->
          list.add(TemplateMetadata.fromBody(TemplateMetadata.Kind.LEGACY, e.getKey(), e.getValue(), plain)));
      if (supportsComposableTemplates()) {
        optional("/_component_template").path("component_templates").forEach(t -> list.add(TemplateMetadata.fromBody(
            TemplateMetadata.Kind.COMPONENT, t.path("name").asText(), t.path("component_template"), plain)));
        optional("/_index_template").path("index_templates").forEach(t -> list.add(TemplateMetadata.fromBody(
            TemplateMetadata.Kind.INDEX, t.path("name").asText(), t.path("index_template"), plain)));
      }
      templates = list;
    }
    return templates;
  }

  private boolean supportsComposableTemplates() {
    return version.isOpenSearch() || version.major() > 7 || (version.major() == 7 && version.minor() >= 8);
  }

  private JsonNode optional(String path) {
    ClusterResponse response = client.get(path);
    if (response.status() == 404) {
      return Json.object();
    }
    return response.requireSuccess().json();
  }

  @Override
  public List<String> indexNames() {
    return new ArrayList<>(indices().keySet());
  }

  @Override
  public IndexMetadata index(String name) {
    IndexMetadata index = indices().get(name);
    if (index == null) {
      throw new UserError("the source has no index '" + name + "'; it has " + indices().keySet());
    }
    return index;
  }

  /** Every index with settings, mappings and aliases, read in one request. */
  private synchronized Map<String, IndexMetadata> indices() {
    if (indices == null) {
      String typed = version.isElasticsearch() && version.major() == 7 ? "&include_type_name=true" : "";
      String expand = version.isElasticsearch() && version.major() < 6 ? "" : "&expand_wildcards=all";
      JsonNode all = client.getJson("/_all?flat_settings=true" + expand + typed);
      JsonNode state = client.getJson("/_cluster/state/metadata?filter_path=metadata.indices.*.routing_num_shards")
          .path("metadata").path("indices");
      Map<String, IndexMetadata> map = new TreeMap<>();
      all.fields().forEachRemaining(e -> {
        JsonNode body = e.getValue();
        Map<String, JsonNode> mappings = Mappings.byType(body.get("mappings"), v -> v);
        JsonNode aliases = body.path("aliases");
        JsonNode routingShards = state.path(e.getKey()).get("routing_num_shards");
        map.put(e.getKey(), new IndexMetadata(e.getKey(), body.path("settings"), mappings,
            aliases.isObject() ? (ObjectNode) aliases : Json.object(), routingShards == null ? null : routingShards.asInt()));
      });
      indices = map;
    }
    return indices;
  }
}
