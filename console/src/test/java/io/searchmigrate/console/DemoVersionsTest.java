package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.UserError;
import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import org.junit.jupiter.api.Test;

/** Which clusters {@code demo --source-version / --target-version} provision: an Elasticsearch or OpenSearch source. */
class DemoVersionsTest {
  @Test
  void aBareVersionOrAnEsPrefixIsAnElasticsearchSource() {
    for (String given : new String[] {"7.10.2", "ES 7.10.2", "elasticsearch 7.10.2", "es_7.10.2"}) {
      ClusterRequest source = DemoCommand.sourceCluster(given);
      assertEquals(Distribution.ELASTICSEARCH, source.distribution(), given);
      assertEquals("7.10.2", source.version(), given);
      assertEquals(DemoCommand.SOURCE_NAME, source.name());
    }
  }

  @Test
  void anOsPrefixIsAnOpenSearchSource() {
    for (String given : new String[] {"OS 1.3.20", "opensearch 1.3.20", " os-1.3.20 "}) {
      ClusterRequest source = DemoCommand.sourceCluster(given);
      assertEquals(Distribution.OPENSEARCH, source.distribution(), given);
      assertEquals("1.3.20", source.version(), given);
      assertFalse(source.withModules(), given);
    }
  }

  @Test
  void theTargetIsOpenSearchWithOrWithoutItsPrefix() {
    ClusterRequest target = DemoCommand.targetCluster("OS 2.19.1");
    assertEquals(Distribution.OPENSEARCH, target.distribution());
    assertEquals("2.19.1", target.version());
    assertEquals(DemoCommand.TARGET_NAME, target.name());
    assertTrue(target.withModules(), "2.19's pinned modules");
    ClusterRequest three = DemoCommand.targetCluster("3.1.0");
    assertEquals("3.1.0", three.version());
    assertFalse(three.withModules());
  }

  @Test
  void anElasticsearchTargetOrNoVersionAtAllIsAClearError() {
    UserError es = assertThrows(UserError.class, () -> DemoCommand.targetCluster("ES 7.10.2"));
    assertEquals("--target-version 'ES 7.10.2': the target is OpenSearch; give an OpenSearch version such as 2.19.1 "
        + "(an Elasticsearch cluster can be the source: --source-version)", es.getMessage());
    UserError nonsense = assertThrows(UserError.class, () -> DemoCommand.sourceCluster("latest"));
    assertEquals("'latest' is not a version; expected for example 'ES 7.10.2' or 'OS 2.19.1'", nonsense.getMessage());
  }
}
