package io.searchmigrate.console;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Elasticsearch 5.6.16 (Lucene 6 segments read by the relocated Lucene 6; a multi-type index whose types are
 * merged into one on the target) → OpenSearch 2.19.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillFromElasticsearch5Test extends BackfillEndToEndTest {
  private Prepared prepared;

  @BeforeAll
  void prepare() {
    prepared = prepare("5.6.16", "e5", true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink-local"})
  void backfillsEveryLiveDocumentExactly(String runner) throws IOException {
    backfillsExactly(prepared, runner);
  }
}
