package io.searchmigrate.console;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Elasticsearch 8.15.0 → OpenSearch 2.19.1: deflate-compressed snapshot metadata, Elasticsearch's own postings and
 * bloom-filter formats, and zstd stored fields (the orders index uses best_compression).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillFromElasticsearch8Test extends BackfillEndToEndTest {
  private Prepared prepared;

  @BeforeAll
  void prepare() {
    prepared = prepare("8.15.0", "e8", false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink-local"})
  void backfillsEveryLiveDocumentExactly(String runner) throws IOException {
    backfillsExactly(prepared, runner);
  }
}
