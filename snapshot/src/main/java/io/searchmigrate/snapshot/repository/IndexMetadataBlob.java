package io.searchmigrate.snapshot.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.Mappings;
import java.util.Map;

/**
 * Parses an index's metadata blob ({@code indices/<id>/meta-*.dat}): {@code {<name>: {settings (flat), mappings
 * (array of binary compressed or plain {type: body}), aliases (filters possibly compressed)}}}.
 */
final class IndexMetadataBlob {
  private IndexMetadataBlob() {}

  static IndexMetadata parse(JsonNode blob, String where) {
    if (!blob.isObject() || blob.size() != 1) {
      throw new SnapshotFormatException(where + " is not index metadata: expected one object keyed by the index name");
    }
    String name = blob.fieldNames().next();
    JsonNode body = blob.path(name);
    Map<String, JsonNode> mappings = Mappings.byType(body.get("mappings"), v -> CompressedXContent.decode(v, where));
    ObjectNode aliases = Json.object();
    body.path("aliases").fields().forEachRemaining(e -> {
      ObjectNode alias = e.getValue().isObject() ? ((ObjectNode) e.getValue()).deepCopy() : Json.object();
      if (alias.has("filter")) {
        alias.set("filter", CompressedXContent.decode(alias.get("filter"), where));
      }
      aliases.set(e.getKey(), alias);
    });
    JsonNode routingShards = body.get("routing_num_shards");
    return new IndexMetadata(name, body.path("settings"), mappings, aliases,
        routingShards == null || !routingShards.canConvertToInt() ? null : routingShards.asInt());
  }
}
