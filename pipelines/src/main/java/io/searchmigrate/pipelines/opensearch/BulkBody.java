package io.searchmigrate.pipelines.opensearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.searchmigrate.transforms.document.TargetDocument;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Builds an NDJSON {@code _bulk} body: one {@code index} action line and one source line per document. */
final class BulkBody {
  private static final JsonFactory JSON = new JsonFactory();

  private BulkBody() {}

  static byte[] of(List<TargetDocument> documents) {
    long size = 0;
    for (TargetDocument d : documents) {
      size += d.source().length + 96;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
    try {
      for (TargetDocument d : documents) {
        writeAction(out, d);
        out.write('\n');
        out.write(d.source());
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static void writeAction(ByteArrayOutputStream out, TargetDocument d) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      g.writeStartObject();
      g.writeObjectFieldStart("index");
      g.writeStringField("_index", d.index());
      g.writeStringField("_id", d.id());
      if (d.routing() != null) {
        g.writeStringField("routing", d.routing());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
  }
}
