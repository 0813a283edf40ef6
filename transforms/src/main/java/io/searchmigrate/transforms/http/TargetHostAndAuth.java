package io.searchmigrate.transforms.http;

import io.searchmigrate.common.http.ClusterEndpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Addresses a request to the target: its Host header names the target, and the client's captured credentials are
 * replaced by the target's (basic auth from the {@code --target-*} flags) or removed when the target takes none.
 * The source's credentials never reach the target.
 */
public final class TargetHostAndAuth implements RequestRewrite {
  private static final long serialVersionUID = 1L;
  private final ClusterEndpoint target;

  private TargetHostAndAuth(ClusterEndpoint target) {
    this.target = target;
  }

  public static TargetHostAndAuth of(ClusterEndpoint target) {
    return new TargetHostAndAuth(target);
  }

  @Override
  public String name() {
    return "target-host-and-auth";
  }

  @Override
  public List<HttpRequestMessage> apply(HttpRequestMessage request) {
    URI uri = URI.create(target.url());
    HttpRequestMessage addressed = request.withHeader("Host", uri.getHost() + ":" + uri.getPort())
        .withoutHeader("Proxy-Authorization");
    if (target.username() != null) {
      String password = target.password() == null ? "" : target.password().reveal();
      addressed = addressed.withHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (target.username() + ":" + password).getBytes(StandardCharsets.UTF_8)));
    } else {
      addressed = addressed.withoutHeader("Authorization");
    }
    return List.of(addressed);
  }
}
