package io.searchmigrate.snapshot.lucene.es8;

import java.util.Collections;
import java.util.Iterator;
import org.apache.lucene.codecs.FieldsConsumer;
import org.apache.lucene.codecs.FieldsProducer;
import org.apache.lucene.codecs.PostingsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.Terms;

/**
 * Stands in for Elasticsearch's own postings formats so that Lucene can open segments that use them. Migration
 * reads stored fields, live documents and the soft-deletes doc values only, never terms: the stand-in opens no
 * file and has no terms. Read-only.
 */
public abstract class TermlessPostingsFormat extends PostingsFormat {
  protected TermlessPostingsFormat(String name) {
    super(name);
  }

  @Override
  public FieldsConsumer fieldsConsumer(SegmentWriteState state) {
    throw new UnsupportedOperationException(getName() + " is read-only here");
  }

  @Override
  public FieldsProducer fieldsProducer(SegmentReadState state) {
    return new FieldsProducer() {
      @Override
      public Iterator<String> iterator() {
        return Collections.emptyIterator();
      }

      @Override
      public Terms terms(String field) {
        return null;
      }

      @Override
      public int size() {
        return 0;
      }

      @Override
      public void checkIntegrity() {}

      @Override
      public void close() {}
    };
  }

  /** Elasticsearch 8.12+ default postings. */
  public static final class ES812Postings extends TermlessPostingsFormat {
    public ES812Postings() {
      super("ES812Postings");
    }
  }

  /** Elasticsearch 8.7+ bloom filter over the _id postings. */
  public static final class ES87BloomFilter extends TermlessPostingsFormat {
    public ES87BloomFilter() {
      super("ES87BloomFilter");
    }
  }

  /** Elasticsearch 8.5-8.6 bloom filter over the _id postings. */
  public static final class ES85BloomFilter extends TermlessPostingsFormat {
    public ES85BloomFilter() {
      super("ES85BloomFilter");
    }
  }
}
