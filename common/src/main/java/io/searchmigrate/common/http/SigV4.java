package io.searchmigrate.common.http;

import io.searchmigrate.common.UserError;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * AWS Signature Version 4 for a cluster: the region and the service it is signed for ({@code es} for Amazon
 * OpenSearch Service domains, {@code aoss} for OpenSearch Serverless). Holds no credentials: the client resolves them
 * where it runs, from the AWS default provider chain, so this object travels to workers and shows in logs safely.
 */
public record SigV4(String region, String service) implements Serializable {
  public static final String MANAGED_DOMAIN = "es";
  public static final String SERVERLESS = "aoss";

  public SigV4 {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(service, "service");
  }

  /**
   * The signing the user asked for with {@code --<role>-region} and {@code --<role>-service}; a missing region comes
   * from AWS_REGION or the profile (the AWS default region chain).
   */
  static SigV4 of(String role, String region, String service) {
    String chosenService = service == null ? MANAGED_DOMAIN : service.strip().toLowerCase(Locale.ROOT);
    if (!chosenService.equals(MANAGED_DOMAIN) && !chosenService.equals(SERVERLESS)) {
      throw new UserError("--" + role + "-service must be es (an Amazon OpenSearch Service domain) or aoss (OpenSearch "
          + "Serverless), not '" + service + "'");
    }
    String chosenRegion = region == null || region.isBlank() ? SigV4Signer.defaultRegion() : region.strip();
    if (chosenRegion == null) {
      throw new UserError("--" + role + "-auth sigv4 needs the " + role + "'s AWS region: give --" + role + "-region "
          + "(e.g. us-east-1) or set AWS_REGION");
    }
    return new SigV4(chosenRegion, chosenService);
  }

  @Override
  public String toString() {
    return "SigV4 " + service + " in " + region;
  }
}
