package io.searchmigrate.transforms.metadata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classic (TF-IDF) similarity was removed in Elasticsearch 7.0, and OpenSearch refuses an index that names it, in
 * its settings or on a field. Both become BM25, the default since 5.0; scores, and so the order of hits, change.
 */
final class ClassicSimilarityToBm25 implements MetadataTransformation {
  private static final Pattern SIMILARITY_TYPE = Pattern.compile("(?:index\\.)?similarity\\.([^.]+)\\.type");
  private static final String CLASSIC = "classic";
  private static final String BM25 = "BM25";

  /** The names of the similarities these flat settings define as classic, in key order. */
  static List<String> classicSimilarities(ObjectNode settings) {
    List<String> names = new ArrayList<>();
    settings.fields().forEachRemaining(e -> {
      Matcher m = SIMILARITY_TYPE.matcher(e.getKey());
      if (m.matches() && CLASSIC.equals(e.getValue().asText())) {
        names.add(m.group(1));
      }
    });
    return names;
  }

  /** Whether a field definition uses the built-in classic similarity. */
  static boolean namesClassic(ObjectNode field) {
    return CLASSIC.equals(field.path("similarity").asText());
  }

  @Override
  public String name() {
    return "classic-similarity-to-bm25";
  }

  @Override
  public String description() {
    return "turns the classic (TF-IDF) similarity, removed in Elasticsearch 7.0, into BM25 in similarity settings and on "
        + "fields; scores and the order of hits change";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return true;
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    List<String> keys = new ArrayList<>();
    d.settings().fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      Matcher m = SIMILARITY_TYPE.matcher(key);
      if (m.matches() && CLASSIC.equals(d.settings().path(key).asText())) {
        d.settings().put(key, BM25);
        d.warn(name(), "similarity '" + m.group(1) + "' was classic (TF-IDF), removed in Elasticsearch 7.0: it is BM25 on the "
            + "target, so scores and the order of hits differ");
      }
    }
    List<String> fields = new ArrayList<>();
    MappingWalker.walk(d.mapping(), (path, field) -> {
      if (namesClassic(field)) {
        field.put("similarity", BM25);
        fields.add(path);
      }
    });
    if (!fields.isEmpty()) {
      d.warn(name(), "field(s) " + String.join(", ", fields) + " used the classic (TF-IDF) similarity, removed in Elasticsearch "
          + "7.0: BM25 on the target, so scores and the order of hits differ");
    }
  }
}
