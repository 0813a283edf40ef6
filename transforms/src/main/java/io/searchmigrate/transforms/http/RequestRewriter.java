package io.searchmigrate.transforms.http;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rewrite rules applied in order, each to every request the previous ones produced; the result says which rules
 * changed something, so a tuple can name them.
 *
 * <pre>{@code
 * RequestRewriter rewriter = RequestRewriter.of(TypelessRequests.forSource(sourceVersion, options, transformer),
 *     UserRules.load(Path.of("rules.json")), TargetHostAndAuth.of(target));
 * RequestRewriter.Result result = rewriter.rewrite(HttpRequestMessage.parse(captured));
 * }</pre>
 */
public final class RequestRewriter implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a captured request became: the requests to send (none when dropped) and the rules that changed it. */
  public record Result(List<HttpRequestMessage> requests, List<String> applied) {
    /** The same requests, said to have gone through the named step before these rules. */
    public Result after(String step) {
      List<String> all = new ArrayList<>(applied.size() + 1);
      all.add(step);
      all.addAll(applied);
      return new Result(requests, List.copyOf(all));
    }
  }

  private final List<RequestRewrite> rules;

  private RequestRewriter(List<RequestRewrite> rules) {
    this.rules = List.copyOf(rules);
  }

  public static RequestRewriter of(RequestRewrite... rules) {
    return new RequestRewriter(Arrays.asList(rules));
  }

  public static RequestRewriter of(List<RequestRewrite> rules) {
    return new RequestRewriter(rules);
  }

  public List<RequestRewrite> rules() {
    return rules;
  }

  public Result rewrite(HttpRequestMessage request) {
    List<HttpRequestMessage> current = List.of(request);
    List<String> applied = new ArrayList<>();
    for (RequestRewrite rule : rules) {
      List<HttpRequestMessage> next = new ArrayList<>();
      boolean changed = false;
      for (HttpRequestMessage r : current) {
        List<HttpRequestMessage> out = rule.apply(r);
        changed |= out.size() != 1 || out.get(0) != r;
        next.addAll(out);
      }
      if (changed) {
        applied.add(rule.name());
      }
      current = next;
    }
    return new Result(List.copyOf(current), List.copyOf(applied));
  }
}
