package io.searchmigrate.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.transforms.document.DocumentTransforms;
import io.searchmigrate.transforms.document.TargetDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The standard document transform: same index, id and routing; type dropped; source on one JSON line. */
class DocumentTransformsTest {
  @Test
  void prettyJsonBecomesOneLineByteForByteOtherwise() throws Exception {
    String pretty = "\n\n{\n  \"title\": \"two\\nlines\",\r\n  \"n\": 1.50\n}\n";
    List<TargetDocument> out = DocumentTransforms.standard().apply(
        new SourceDocument("books", "book", "b-1", "r1", pretty.getBytes(StandardCharsets.UTF_8)));
    assertEquals(1, out.size());
    TargetDocument doc = out.get(0);
    assertEquals("books", doc.index());
    assertEquals("b-1", doc.id());
    assertEquals("r1", doc.routing());
    assertEquals("  {   \"title\": \"two\\nlines\",    \"n\": 1.50 } ", new String(doc.source(), StandardCharsets.UTF_8));
    assertEquals(Json.parse(pretty), Json.parse(doc.source()));
  }

  @Test
  void smileSourcesBecomeJson() throws Exception {
    byte[] smile = new ObjectMapper(new SmileFactory()).writeValueAsBytes(Json.parse("{\"price\":120.0,\"tags\":[\"a\"]}"));
    TargetDocument doc = DocumentTransforms.standard().apply(new SourceDocument("i", null, "1", null, smile)).get(0);
    assertEquals("{\"price\":120.0,\"tags\":[\"a\"]}", new String(doc.source(), StandardCharsets.UTF_8));
  }
}
