package io.searchmigrate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.searchmigrate.proxy.http.HttpHead;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which requests are not captured, and which headers the proxy sets on requests towards the source.
 *
 * <pre>{@code
 * CaptureRules rules = new CaptureRules(List.of(Pattern.compile("HEAD")), List.of(Pattern.compile("/_cat/.*")),
 *     List.of(new HeaderMatch("X-No-Capture", Pattern.compile(".*"))), List.of(new SetHeader("Authorization", "Basic ...")));
 * }</pre>
 */
public final class CaptureRules {
  /** A header whose value matches {@code value} (whole value, case-sensitive) suppresses capture. */
  public record HeaderMatch(String name, Pattern value) {}

  /** A header set (added, or replacing every field of that name) on requests towards the source. */
  public record SetHeader(String name, String value) {
    @Override
    public String toString() {
      return name + ": ****"; // values are often credentials
    }
  }

  public static final CaptureRules NONE = new CaptureRules(List.of(), List.of(), List.of(), List.of());

  private final List<Pattern> methods;
  private final List<Pattern> paths;
  private final List<HeaderMatch> headers;
  private final List<SetHeader> setHeaders;

  public CaptureRules(List<Pattern> methods, List<Pattern> paths, List<HeaderMatch> headers, List<SetHeader> setHeaders) {
    this.methods = List.copyOf(methods);
    this.paths = List.copyOf(paths);
    this.headers = List.copyOf(headers);
    this.setHeaders = List.copyOf(setHeaders);
  }

  /** True when a rule excludes this request from capture: a method or path pattern (whole match) or a header. */
  public boolean suppresses(HttpHead head) {
    String method = head.first();
    for (Pattern p : methods) {
      if (p.matcher(method).matches()) {
        return true;
      }
    }
    if (!paths.isEmpty()) {
      String target = head.second();
      int query = target.indexOf('?');
      String path = query < 0 ? target : target.substring(0, query);
      for (Pattern p : paths) {
        if (p.matcher(path).matches()) {
          return true;
        }
      }
    }
    for (HeaderMatch m : headers) {
      for (HttpHead.Header h : head.headers()) {
        if (h.name().equalsIgnoreCase(m.name()) && m.value().matcher(h.value()).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  public boolean setsHeaders() {
    return !setHeaders.isEmpty();
  }

  /**
   * The head with the configured headers set: every field with one of their names is removed and the new
   * fields are added before the empty line. The start line and every other field keep their exact bytes.
   */
  public ByteBuf rewrite(ByteBuf raw, ByteBufAllocator alloc) {
    String text = raw.toString(raw.readerIndex(), raw.readableBytes(), StandardCharsets.ISO_8859_1);
    StringBuilder out = new StringBuilder(text.length() + 64 * setHeaders.size());
    int start = 0;
    boolean startLineSeen = false;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      String line = text.substring(start, end);
      start = end;
      String content = line.strip();
      if (content.isEmpty()) {
        if (!startLineSeen) {
          out.append(line); // empty lines before the start line
          continue;
        }
        for (SetHeader h : setHeaders) {
          out.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        out.append(line);
        break;
      }
      if (startLineSeen && isSetHeaderLine(line)) {
        continue;
      }
      startLineSeen = true;
      out.append(line);
    }
    byte[] bytes = out.toString().getBytes(StandardCharsets.ISO_8859_1);
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  private boolean isSetHeaderLine(String line) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      return false;
    }
    String name = line.substring(0, colon);
    for (SetHeader h : setHeaders) {
      if (h.name().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "suppress methods " + methods + ", paths " + paths + ", headers " + headers + "; set headers " + setHeaders;
  }
}
