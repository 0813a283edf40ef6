package io.searchmigrate.pipelines.coders;

import io.searchmigrate.common.document.SourceDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** Compact binary coder for {@link SourceDocument}: documents cross worker boundaries by the million. */
public final class SourceDocumentCoder extends AtomicCoder<SourceDocument> {
  private static final SourceDocumentCoder INSTANCE = new SourceDocumentCoder();
  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final Coder<byte[]> NULLABLE_BYTES = NullableCoder.of(ByteArrayCoder.of());

  public static SourceDocumentCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SourceDocument value, OutputStream out) throws IOException {
    STRING.encode(value.index(), out);
    NULLABLE_STRING.encode(value.type(), out);
    STRING.encode(value.id(), out);
    NULLABLE_STRING.encode(value.routing(), out);
    NULLABLE_BYTES.encode(value.source(), out);
  }

  @Override
  public SourceDocument decode(InputStream in) throws IOException {
    return new SourceDocument(STRING.decode(in), NULLABLE_STRING.decode(in), STRING.decode(in), NULLABLE_STRING.decode(in),
        NULLABLE_BYTES.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
