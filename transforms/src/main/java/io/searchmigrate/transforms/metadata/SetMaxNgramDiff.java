package io.searchmigrate.transforms.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * From 7.0 an ngram range wider than {@code index.max_ngram_diff} (default 1), or a shingle range wider than
 * {@code index.max_shingle_diff} (default 3), is refused: the limit is raised to what the index uses.
 */
final class SetMaxNgramDiff implements MetadataTransformation {
  private static final Pattern TYPE = Pattern.compile("index\\.analysis\\.(tokenizer|filter)\\.([^.]+)\\.type");

  @Override
  public String name() {
    return "set-max-ngram-diff";
  }

  @Override
  public String description() {
    return "raises index.max_ngram_diff and index.max_shingle_diff to the widest ngram and shingle ranges the index defines";
  }

  @Override
  public boolean appliesTo(TransformContext context) {
    return true;
  }

  @Override
  public void apply(Definition d, TransformContext context) {
    int ngramDiff = 0;
    int shingleDiff = 0;
    List<String> keys = new ArrayList<>();
    d.settings().fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      Matcher m = TYPE.matcher(key);
      if (!m.matches()) {
        continue;
      }
      String prefix = "index.analysis." + m.group(1) + "." + m.group(2) + ".";
      String type = d.settings().path(key).asText();
      if (type.equals("ngram") || type.equals("edge_ngram") || type.equals("nGram") || type.equals("edgeNGram")) {
        if (!type.startsWith("edge")) { // edge n-grams are not limited
          ngramDiff = Math.max(ngramDiff, number(d, prefix + "max_gram", 2) - number(d, prefix + "min_gram", 1));
        }
      } else if (type.equals("shingle")) {
        shingleDiff = Math.max(shingleDiff, number(d, prefix + "max_shingle_size", 2) - number(d, prefix + "min_shingle_size", 2));
      }
    }
    raise(d, "index.max_ngram_diff", ngramDiff, 1);
    raise(d, "index.max_shingle_diff", shingleDiff, 3);
  }

  private void raise(Definition d, String key, int needed, int defaultLimit) {
    int current = d.settings().has(key) ? d.settings().path(key).asInt() : defaultLimit;
    if (needed > current) {
      d.settings().put(key, Integer.toString(needed));
      d.changed(name(), key + " " + needed + " (the analysis defines a range that wide)");
    }
  }

  private static int number(Definition d, String key, int fallback) {
    return d.settings().has(key) ? d.settings().path(key).asInt(fallback) : fallback;
  }
}
