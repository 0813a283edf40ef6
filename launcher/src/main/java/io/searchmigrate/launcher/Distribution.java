package io.searchmigrate.launcher;

import io.searchmigrate.common.UserError;
import java.util.Locale;

/** The search engines the launcher can run, with where Maven Central keeps their distributions. */
public enum Distribution {
  ELASTICSEARCH("elasticsearch", "es", "org.elasticsearch.distribution.integ-test-zip", "elasticsearch", "ES_JAVA_OPTS", "ES_TMPDIR"),
  OPENSEARCH("opensearch", "os", "org.opensearch.distribution.integ-test-zip", "opensearch", "OPENSEARCH_JAVA_OPTS", "OPENSEARCH_TMPDIR");

  private final String id;
  private final String shortName;
  private final String groupId;
  private final String artifactId;
  private final String javaOptsVariable;
  private final String tmpDirVariable;

  Distribution(String id, String shortName, String groupId, String artifactId, String javaOptsVariable, String tmpDirVariable) {
    this.id = id;
    this.shortName = shortName;
    this.groupId = groupId;
    this.artifactId = artifactId;
    this.javaOptsVariable = javaOptsVariable;
    this.tmpDirVariable = tmpDirVariable;
  }

  public static Distribution parse(String text) {
    String t = text.toLowerCase(Locale.ROOT).trim();
    for (Distribution d : values()) {
      if (d.id.equals(t) || d.shortName.equals(t)) {
        return d;
      }
    }
    throw new UserError("unknown distribution '" + text + "'; expected elasticsearch (es) or opensearch (os)");
  }

  public String id() {
    return id;
  }

  public String shortName() {
    return shortName;
  }

  public String groupId() {
    return groupId;
  }

  public String artifactId() {
    return artifactId;
  }

  /** The start script inside the distribution. */
  public String startScript() {
    return "bin/" + artifactId;
  }

  public String javaOptsVariable() {
    return javaOptsVariable;
  }

  public String tmpDirVariable() {
    return tmpDirVariable;
  }
}
