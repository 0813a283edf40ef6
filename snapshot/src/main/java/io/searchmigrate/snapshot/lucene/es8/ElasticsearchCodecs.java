package io.searchmigrate.snapshot.lucene.es8;

import org.apache.lucene.backward_codecs.lucene99.Lucene99Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;

/**
 * Elasticsearch 8.14+ codecs, read-only: Lucene's codec of the time with Elasticsearch's zstd stored fields.
 * Per-field postings, doc values and vector formats are found by name like any other.
 */
public final class ElasticsearchCodecs {
  private ElasticsearchCodecs() {}

  /** Elasticsearch 8.14-8.15 ({@code index.codec: best_compression}), over Lucene 9.9-9.11. */
  public static final class Elasticsearch814 extends FilterCodec {
    private final StoredFieldsFormat storedFields = new ZstdStoredFieldsFormat();

    public Elasticsearch814() {
      super("Elasticsearch814", new Lucene99Codec());
    }

    @Override
    public StoredFieldsFormat storedFieldsFormat() {
      return storedFields;
    }
  }

  /** Elasticsearch 8.16+, over Lucene 9.12. */
  public static final class Elasticsearch816 extends FilterCodec {
    private final StoredFieldsFormat storedFields = new ZstdStoredFieldsFormat();

    public Elasticsearch816() {
      super("Elasticsearch816", new Lucene912Codec());
    }

    @Override
    public StoredFieldsFormat storedFieldsFormat() {
      return storedFields;
    }
  }
}
