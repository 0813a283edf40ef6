package io.searchmigrate.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * Compact binary coders for what the comparison moves between its steps, one document per element on each side: Java
 * serialization (Beam's {@code SerializableCoder}) writes a class description with every element and cost the
 * comparison more than reading the documents did (BENCHMARKS.md, Validation).
 *
 * <pre>{@code
 * docs.setCoder(ComparisonCoders.document());
 * comparisons.setCoder(ComparisonCoders.comparison());
 * }</pre>
 */
public final class ComparisonCoders {
  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final Coder<byte[]> NULLABLE_BYTES = NullableCoder.of(ByteArrayCoder.of());

  private ComparisonCoders() {}

  public static Coder<ComparedDocument> document() {
    return DocumentCoder.INSTANCE;
  }

  public static Coder<Comparison> comparison() {
    return ComparisonCoder.INSTANCE;
  }

  static final class DocumentCoder extends AtomicCoder<ComparedDocument> {
    private static final DocumentCoder INSTANCE = new DocumentCoder();

    @Override
    public void encode(ComparedDocument d, OutputStream out) throws IOException {
      STRING.encode(d.index(), out);
      STRING.encode(d.id(), out);
      NULLABLE_STRING.encode(d.routing(), out);
      NULLABLE_BYTES.encode(d.source(), out);
      NULLABLE_BYTES.encode(d.digest(), out);
      STRING.encode(d.originIndex(), out);
      NULLABLE_STRING.encode(d.originType(), out);
    }

    @Override
    public ComparedDocument decode(InputStream in) throws IOException {
      return new ComparedDocument(STRING.decode(in), STRING.decode(in), NULLABLE_STRING.decode(in),
          NULLABLE_BYTES.decode(in), NULLABLE_BYTES.decode(in), STRING.decode(in), NULLABLE_STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  static final class ComparisonCoder extends AtomicCoder<Comparison> {
    private static final ComparisonCoder INSTANCE = new ComparisonCoder();
    private static final Coder<ComparedDocument> SIDE = NullableCoder.of(DocumentCoder.INSTANCE);

    @Override
    public void encode(Comparison c, OutputStream out) throws IOException {
      STRING.encode(c.index(), out);
      STRING.encode(c.id(), out);
      VarIntCoder.of().encode(c.category().ordinal(), out);
      SIDE.encode(c.source(), out);
      SIDE.encode(c.target(), out);
    }

    @Override
    public Comparison decode(InputStream in) throws IOException {
      return new Comparison(STRING.decode(in), STRING.decode(in), Category.values()[VarIntCoder.of().decode(in)],
          SIDE.decode(in), SIDE.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
