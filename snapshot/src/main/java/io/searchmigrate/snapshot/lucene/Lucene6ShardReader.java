package io.searchmigrate.snapshot.lucene;

import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.codecs.StoredFieldsReader;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.index.CodecReader;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.index.DirectoryReader;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.index.FieldInfo;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.index.IndexCommit;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.index.LeafReader;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.index.LeafReaderContext;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.index.SegmentInfo;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.index.SegmentReader;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.index.StoredFieldVisitor;
import io.searchmigrate.shaded.lucene6.org.apache.lucene.util.Bits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * Reads Elasticsearch 5.x shards (Lucene 6 segments, and Lucene 5 ones carried over from 2.x) with Lucene
 * 6.6.6 relocated beside Lucene 9. Elasticsearch 5 has no soft deletes; ids come from {@code _uid}.
 */
final class Lucene6ShardReader implements ShardDocumentReader {
  private final ShardFiles files;
  private final Lucene6RepositoryDirectory directory;
  private final DirectoryReader reader;
  private final String index;
  private final String defaultType;

  Lucene6ShardReader(ShardFiles files, String defaultType) throws IOException {
    this.files = files;
    this.index = files.shard().index();
    this.defaultType = defaultType;
    this.directory = new Lucene6RepositoryDirectory(files);
    List<IndexCommit> commits = DirectoryReader.listCommits(directory);
    this.reader = DirectoryReader.open(commits.get(commits.size() - 1));
  }

  @Override
  public int maxDoc() {
    return reader.maxDoc();
  }

  @Override
  public long liveDocs() {
    return reader.numDocs();
  }

  @Override
  public String description() {
    String writtenBy = files.shard().segmentsFile().writtenBy();
    return "relocated Lucene 6.6.6" + (writtenBy == null ? "" : " (commit written by Lucene " + writtenBy + ")");
  }

  @Override
  public SliceStats read(int from, int to, IntPredicate which, Consumer<SourceDocument> out) throws IOException {
    SliceStats stats = new SliceStats();
    StoredFieldsCollector collector = new StoredFieldsCollector(index, defaultType);
    Visitor visitor = new Visitor(collector);
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader segment = leaf.reader();
      int start = Math.max(from - leaf.docBase, 0);
      int end = Math.min(to - leaf.docBase, segment.maxDoc());
      if (start >= end) {
        continue;
      }
      Bits live = segment.getLiveDocs();
      // sequential reads: the merge instance decompresses each stored-fields chunk once, not once per document
      StoredFieldsReader stored = segment instanceof CodecReader
          ? ((CodecReader) segment).getFieldsReader().getMergeInstance() : null;
      for (int doc = start; doc < end; doc++) {
        if (!which.test(leaf.docBase + doc) || live != null && !live.get(doc)) {
          continue;
        }
        stats.visited++;
        collector.reset();
        if (stored != null) {
          stored.visitDocument(doc, visitor);
        } else {
          segment.document(doc, visitor);
        }
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
  public List<Segment> segments() {
    List<Segment> segments = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader segment = leaf.reader();
      Bits hardLive = segment.getLiveDocs();
      BitSet live = Segment.live(segment.maxDoc(), hardLive == null ? null : hardLive::get);
      SegmentInfo info = ((SegmentReader) segment).getSegmentInfo().info;
      segments.add(new Segment(info.name, HexFormat.of().formatHex(info.getId()), leaf.docBase, segment.maxDoc(), live));
    }
    return segments;
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
    public void stringField(FieldInfo fieldInfo, byte[] value) {
      collector.string(fieldInfo.name, new String(value, StandardCharsets.UTF_8));
    }
  }
}
