package io.searchmigrate.snapshot.lucene;

import io.searchmigrate.common.document.SourceDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.Version;

/**
 * Reads shards written by Lucene 7-9 (Elasticsearch 6.x-8.x, OpenSearch 1.x-2.x) with Lucene 9 and its
 * backward codecs. Lucene 7 indices open read-only through the minimum-major override.
 */
final class Lucene9ShardReader implements ShardDocumentReader {
  /** Elasticsearch marks soft-deleted documents (old versions of updated ones, tombstones) with this doc-values field. */
  static final String SOFT_DELETES_FIELD = "__soft_deletes";

  private final ShardFiles files;
  private final RepositoryDirectory directory;
  private final DirectoryReader reader;
  private final long liveDocs;
  private final String index;

  Lucene9ShardReader(ShardFiles files) throws IOException {
    this.files = files;
    this.index = files.shard().index();
    this.directory = new RepositoryDirectory(files);
    List<IndexCommit> commits = DirectoryReader.listCommits(directory);
    // 0: accept any index-created major; the codecs present decide what can be read (Lucene 7+ segments).
    this.reader = DirectoryReader.open(commits.get(commits.size() - 1), 0, null);
    long live = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      live += leaf.reader().numDocs();
      LeafReader unwrapped = FilterLeafReader.unwrap(leaf.reader());
      if (unwrapped instanceof SegmentReader) {
        live -= ((SegmentReader) unwrapped).getSegmentInfo().getSoftDelCount();
      }
    }
    this.liveDocs = live;
  }

  @Override
  public int maxDoc() {
    return reader.maxDoc();
  }

  @Override
  public long liveDocs() {
    return liveDocs;
  }

  @Override
  public String description() {
    String writtenBy = files.shard().segmentsFile().writtenBy();
    return "Lucene " + Version.LATEST + (writtenBy == null ? "" : " (commit written by Lucene " + writtenBy + ")");
  }

  @Override
  public SliceStats read(int from, int to, IntPredicate which, Consumer<SourceDocument> out) throws IOException {
    SliceStats stats = new SliceStats();
    StoredFieldsCollector collector = new StoredFieldsCollector(index, null);
    Visitor visitor = new Visitor(collector);
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader segment = leaf.reader();
      int start = Math.max(from - leaf.docBase, 0);
      int end = Math.min(to - leaf.docBase, segment.maxDoc());
      if (start >= end) {
        continue;
      }
      Bits live = segment.getLiveDocs();
      NumericDocValues softDeletes = segment.getNumericDocValues(SOFT_DELETES_FIELD);
      StoredFields stored = sequentialStoredFields(segment);
      for (int doc = start; doc < end; doc++) {
        if (!which.test(leaf.docBase + doc) || live != null && !live.get(doc)) {
          continue;
        }
        if (softDeletes != null && softDeletes.docID() <= doc && softDeletes.advanceExact(doc)) {
          continue;
        }
        stats.visited++;
        collector.reset();
        stored.document(doc, visitor);
        SourceDocument document = collector.build();
        if (document == null) {
          stats.withoutId++;
        } else {
          stats.documents++;
          out.accept(document);
        }
      }
    }
    return stats;
  }

  @Override
  public List<Segment> segments() throws IOException {
    List<Segment> segments = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader segment = leaf.reader();
      Bits hardLive = segment.getLiveDocs();
      BitSet live = Segment.live(segment.maxDoc(), hardLive == null ? null : hardLive::get);
      NumericDocValues softDeletes = segment.getNumericDocValues(SOFT_DELETES_FIELD);
      if (softDeletes != null) {
        for (int doc = softDeletes.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = softDeletes.nextDoc()) {
          live.clear(doc);
        }
      }
      SegmentInfo info = ((SegmentReader) FilterLeafReader.unwrap(segment)).getSegmentInfo().info;
      segments.add(new Segment(info.name, HexFormat.of().formatHex(info.getId()), leaf.docBase, segment.maxDoc(), live));
    }
    return segments;
  }

  /**
   * Documents are read in order, so use the codec's merge instance: it decompresses each stored-fields chunk once
   * instead of once per document (most of the cost otherwise).
   */
  private static StoredFields sequentialStoredFields(LeafReader segment) throws IOException {
    LeafReader unwrapped = FilterLeafReader.unwrap(segment);
    if (unwrapped instanceof CodecReader) {
      return ((CodecReader) unwrapped).getFieldsReader().getMergeInstance();
    }
    return segment.storedFields();
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
    }
  }

  private static final class Visitor extends StoredFieldVisitor {
    private final StoredFieldsCollector collector;

    Visitor(StoredFieldsCollector collector) {
      this.collector = collector;
    }

    @Override
    public Status needsField(FieldInfo fieldInfo) {
      return StoredFieldsCollector.wanted(fieldInfo.name) ? Status.YES : Status.NO;
    }

    @Override
    public void binaryField(FieldInfo fieldInfo, byte[] value) {
      collector.binary(fieldInfo.name, value, 0, value.length);
    }

    @Override
    public void stringField(FieldInfo fieldInfo, String value) {
      collector.string(fieldInfo.name, value);
    }
  }
}
