package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Elasticsearch's {@code dense_vector} becomes OpenSearch's {@code knn_vector} (the k-NN plugin must be
 * installed on the target): dimension, similarity as space type, HNSW parameters, and {@code index.knn}.
 */
final class DenseVectorToKnnVector implements MetadataTransformation {
  static final Map<String, String> SPACE_TYPES = Map.of("l2_norm", "l2", "cosine", "cosinesimil", "dot_product", "innerproduct",
      "max_inner_product", "innerproduct");

  @Override
  public String name() {
    return "dense-vector-to-knn-vector";
  }

  @Override
  public String description() {
    return "turns 'dense_vector' fields into 'knn_vector' (dimension, space type from the similarity, HNSW on the Lucene "
        + "engine) and sets index.knn; the target needs the k-NN plugin";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return context.target().isOpenSearch();
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    boolean[] indexed = {false};
    MappingWalker.walk(d.mapping(), (path, field) -> {
      if (!"dense_vector".equals(field.path("type").asText())) {
        return;
      }
      JsonNode dims = field.get("dims");
      boolean index = field.path("index").asBoolean(context.source().major() >= 8 && dims != null);
      String similarity = field.path("similarity").asText("cosine");
      JsonNode options = field.path("index_options");
      String elementType = field.path("element_type").asText("float");
      field.removeAll();
      field.put("type", "knn_vector");
      if (dims != null) {
        field.set("dimension", dims);
      }
      if (elementType.equals("byte")) {
        field.put("data_type", "byte");
      }
      if (index) {
        ObjectNode method = field.putObject("method").put("name", "hnsw").put("engine", "lucene")
            .put("space_type", SPACE_TYPES.getOrDefault(similarity, "l2"));
        ObjectNode parameters = method.putObject("parameters");
        parameters.put("m", options.path("m").asInt(16));
        parameters.put("ef_construction", options.path("ef_construction").asInt(100));
        indexed[0] = true;
      }
      d.changed(name(), "field '" + path + "': dense_vector became knn_vector" + (index ? " (HNSW, " + similarity + ")" : ""));
    });
    if (indexed[0]) {
      d.settings().put("index.knn", "true");
    }
  }
}
