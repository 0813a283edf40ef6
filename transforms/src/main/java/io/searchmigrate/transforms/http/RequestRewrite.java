package io.searchmigrate.transforms.http;

import java.io.Serializable;
import java.util.List;

/**
 * One named rule that turns a request captured on the source into what the target should get: none (dropped), one,
 * or several (a request touching several indices of a split multi-type index). Pure: no I/O, no state between
 * requests. Returns the request itself, unchanged, when the rule does not concern it.
 */
public interface RequestRewrite extends Serializable {
  /** The rule's name, as tuples and reports show it. */
  String name();

  List<HttpRequestMessage> apply(HttpRequestMessage request);
}
