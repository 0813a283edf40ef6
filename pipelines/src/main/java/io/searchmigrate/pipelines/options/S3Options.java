package io.searchmigrate.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How to reach S3 for {@code s3://} locations (snapshot repositories, dead letters): a region and, for S3-compatible
 * stores, an endpoint. Never credentials: every worker finds them with the AWS default provider chain where it runs.
 *
 * <pre>{@code
 * RepositoryLocation repo = RepositoryLocations.of(options.getRepo(), options);   // options: BackfillOptions
 * }</pre>
 */
public interface S3Options extends PipelineOptions {
  @Description("Region of the S3 bucket (default: AWS_REGION or the profile's; us-east-1 with --s3Endpoint)")
  String getS3Region();

  void setS3Region(String region);

  @Description("Endpoint of an S3-compatible store, addressed path-style, e.g. http://127.0.0.1:9000 (default: AWS)")
  String getS3Endpoint();

  void setS3Endpoint(String url);
}
