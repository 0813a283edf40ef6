package io.searchmigrate.console;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Elasticsearch 6.8.23 (Lucene 7 segments read by Lucene 9; soft deletes on one index) → OpenSearch 2.19.1. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillFromElasticsearch6Test extends BackfillEndToEndTest {
  private Prepared prepared;

  @BeforeAll
  void prepare() {
    prepared = prepare("6.8.23", "e6", false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink-local"})
  void backfillsEveryLiveDocumentExactly(String runner) throws IOException {
    backfillsExactly(prepared, runner);
  }
}
