package io.searchmigrate.snapshot.lucene.es8;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;

/**
 * Stands in for Elasticsearch's own vector formats so that segments with {@code dense_vector} fields open. The
 * vectors themselves are in each document's {@code _source}, which is what migration copies; the stand-in opens
 * no file and holds no vectors. Read-only.
 */
public abstract class VectorlessFormat extends KnnVectorsFormat {
  protected VectorlessFormat(String name) {
    super(name);
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) {
    throw new UnsupportedOperationException(getName() + " is read-only here");
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) {
    return new KnnVectorsReader() {
      @Override
      public void checkIntegrity() {}

      @Override
      public FloatVectorValues getFloatVectorValues(String field) {
        return null;
      }

      @Override
      public ByteVectorValues getByteVectorValues(String field) {
        return null;
      }

      @Override
      public void search(String field, float[] target, KnnCollector collector, Bits acceptDocs) {}

      @Override
      public void search(String field, byte[] target, KnnCollector collector, Bits acceptDocs) {}

      @Override
      public void close() {}

      @Override
      public long ramBytesUsed() {
        return 0;
      }
    };
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return 4096;
  }

  /** Elasticsearch 8.13 flat float vectors. */
  public static final class ES813FlatVectorFormat extends VectorlessFormat {
    public ES813FlatVectorFormat() {
      super("ES813FlatVectorFormat");
    }
  }

  /** Elasticsearch 8.13 flat int8 vectors. */
  public static final class ES813Int8FlatVectorFormat extends VectorlessFormat {
    public ES813Int8FlatVectorFormat() {
      super("ES813Int8FlatVectorFormat");
    }
  }

  /** Elasticsearch 8.14 HNSW with scalar quantization (the default for dense_vector from 8.14). */
  public static final class ES814HnswScalarQuantizedVectorsFormat extends VectorlessFormat {
    public ES814HnswScalarQuantizedVectorsFormat() {
      super("ES814HnswScalarQuantizedVectorsFormat");
    }
  }

  /** Elasticsearch 8.15 HNSW over bit vectors. */
  public static final class ES815HnswBitVectorsFormat extends VectorlessFormat {
    public ES815HnswBitVectorsFormat() {
      super("ES815HnswBitVectorsFormat");
    }
  }

  /** Elasticsearch 8.15 flat bit vectors. */
  public static final class ES815BitFlatVectorFormat extends VectorlessFormat {
    public ES815BitFlatVectorFormat() {
      super("ES815BitFlatVectorFormat");
    }
  }

  /** Elasticsearch 8.16 binary quantization, flat. */
  public static final class ES816BinaryQuantizedVectorsFormat extends VectorlessFormat {
    public ES816BinaryQuantizedVectorsFormat() {
      super("ES816BinaryQuantizedVectorsFormat");
    }
  }

  /** Elasticsearch 8.16 binary quantization with HNSW. */
  public static final class ES816HnswBinaryQuantizedVectorsFormat extends VectorlessFormat {
    public ES816HnswBinaryQuantizedVectorsFormat() {
      super("ES816HnswBinaryQuantizedVectorsFormat");
    }
  }
}
