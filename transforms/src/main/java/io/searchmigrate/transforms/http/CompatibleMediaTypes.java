package io.searchmigrate.transforms.http;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Elasticsearch's versioned media types made plain for OpenSearch: {@code application/vnd.elasticsearch+json;
 * compatible-with=8} becomes {@code application/json} (likewise {@code +x-ndjson}, {@code +yaml}, {@code +cbor},
 * {@code +smile}), in {@code Content-Type} and {@code Accept}. Elasticsearch 8's clients send them with every request
 * (7.x's in compatibility mode); OpenSearch answers them with 406, so a replayed write would be refused.
 *
 * <pre>{@code
 * RequestRewriter.of(CompatibleMediaTypes.INSTANCE, TargetHostAndAuth.of(target));
 * }</pre>
 */
public final class CompatibleMediaTypes implements RequestRewrite {
  private static final long serialVersionUID = 1L;
  public static final CompatibleMediaTypes INSTANCE = new CompatibleMediaTypes();
  private static final Pattern VERSIONED = Pattern.compile("application/vnd\\.elasticsearch\\+([a-z0-9.-]+)\\s*(;.*)?",
      Pattern.CASE_INSENSITIVE);

  private CompatibleMediaTypes() {}

  @Override
  public String name() {
    return "compatible-media-types";
  }

  @Override
  public List<HttpRequestMessage> apply(HttpRequestMessage request) {
    HttpRequestMessage r = request;
    for (String header : List.of("Content-Type", "Accept")) {
      String value = r.header(header);
      String plain = value == null ? null : plain(value);
      if (plain != null) {
        r = r.withHeader(header, plain);
      }
    }
    return List.of(r);
  }

  /** The plain media type, with the parameters other than {@code compatible-with}; null when it is not versioned. */
  static String plain(String mediaType) {
    Matcher m = VERSIONED.matcher(mediaType.trim());
    if (!m.matches()) {
      return null;
    }
    StringBuilder plain = new StringBuilder("application/").append(m.group(1).toLowerCase(Locale.ROOT));
    if (m.group(2) != null) {
      for (String parameter : m.group(2).substring(1).split(";")) {
        if (!parameter.isBlank() && !parameter.trim().toLowerCase(Locale.ROOT).startsWith("compatible-with")) {
          plain.append("; ").append(parameter.trim());
        }
      }
    }
    return plain.toString();
  }

  private Object readResolve() {
    return INSTANCE;
  }
}
