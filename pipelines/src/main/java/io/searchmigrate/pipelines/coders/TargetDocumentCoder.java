package io.searchmigrate.pipelines.coders;

import io.searchmigrate.transforms.document.TargetDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** Compact binary coder for {@link TargetDocument}. */
public final class TargetDocumentCoder extends AtomicCoder<TargetDocument> {
  private static final TargetDocumentCoder INSTANCE = new TargetDocumentCoder();
  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final Coder<byte[]> BYTES = ByteArrayCoder.of();

  public static TargetDocumentCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(TargetDocument value, OutputStream out) throws IOException {
    STRING.encode(value.index(), out);
    STRING.encode(value.id(), out);
    NULLABLE_STRING.encode(value.routing(), out);
    BYTES.encode(value.source(), out);
  }

  @Override
  public TargetDocument decode(InputStream in) throws IOException {
    return new TargetDocument(STRING.decode(in), STRING.decode(in), NULLABLE_STRING.decode(in), BYTES.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
