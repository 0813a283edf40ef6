package io.searchmigrate.pipelines.options;

import io.searchmigrate.common.http.ClusterEndpoint;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * The target cluster's flags, shared by every pipeline that talks to it (backfill, replay, validation).
 *
 * <pre>{@code
 * ClusterEndpoint target = TargetClusterOptions.endpoint(options);
 * }</pre>
 */
public interface TargetClusterOptions extends PipelineOptions {
  /** The target these flags describe: URL, basic auth or SigV4, TLS trust (the password read from its env or file). */
  static ClusterEndpoint endpoint(TargetClusterOptions options) {
    return ClusterEndpoint.describe("target", options.getTarget(), options.getTargetUser(), options.getTargetPasswordEnv(),
            options.getTargetPasswordFile(), options.getTargetCaCert(), options.getTargetInsecure())
        .withAuth("target", options.getTargetAuth(), options.getTargetRegion(), options.getTargetService());
  }

  @Description("Target cluster URL, e.g. http://localhost:9200")
  @Validation.Required
  String getTarget();

  void setTarget(String url);

  @Description("Basic-auth user for the target")
  String getTargetUser();

  void setTargetUser(String user);

  @Description("Environment variable holding the target password")
  String getTargetPasswordEnv();

  void setTargetPasswordEnv(String variable);

  @Description("File holding the target password")
  String getTargetPasswordFile();

  void setTargetPasswordFile(String file);

  @Description("CA certificate(s) (PEM) to trust for the target")
  String getTargetCaCert();

  void setTargetCaCert(String pemFile);

  @Description("Do not verify the target's TLS certificate (explicit opt-out)")
  @Default.Boolean(false)
  boolean getTargetInsecure();

  void setTargetInsecure(boolean insecure);

  @Description("How requests to the target are authenticated: basic (with --targetUser) or sigv4 (AWS SigV4, credentials "
      + "from the AWS default chain where the job runs)")
  String getTargetAuth();

  void setTargetAuth(String auth);

  @Description("With --targetAuth=sigv4: the target's AWS region (default: AWS_REGION or the profile's)")
  String getTargetRegion();

  void setTargetRegion(String region);

  @Description("With --targetAuth=sigv4: es (Amazon OpenSearch Service, default) or aoss (OpenSearch Serverless)")
  String getTargetService();

  void setTargetService(String service);

}
