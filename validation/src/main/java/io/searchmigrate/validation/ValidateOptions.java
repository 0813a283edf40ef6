package io.searchmigrate.validation;

import io.searchmigrate.pipelines.options.S3Options;
import io.searchmigrate.pipelines.options.TargetClusterOptions;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * What to compare and how, as Beam pipeline options: every Beam and runner option works beside these. The source side
 * is a snapshot ({@code --repo} and {@code --snapshot}) or a live cluster ({@code --source}); the target is a live
 * cluster.
 *
 * <pre>{@code
 * ValidateOptions options = RunnerPresets.parse(List.of("--repo=/data/repo", "--snapshot=snap-1",
 *     "--target=http://localhost:9200"), ValidateOptions.class);
 * }</pre>
 *
 * <p>Passwords are never options (runners log and show options): {@code --sourcePasswordEnv}/{@code
 * --targetPasswordEnv} name environment variables and {@code --sourcePasswordFile}/{@code --targetPasswordFile}
 * files, read where the job is launched.
 */
public interface ValidateOptions extends TargetClusterOptions, S3Options {
  @Description("Snapshot repository, a folder or s3://bucket/prefix (the source side of validate backfill)")
  String getRepo();

  void setRepo(String repo);

  @Description("Snapshot name")
  String getSnapshot();

  void setSnapshot(String snapshot);

  @Description("Source cluster URL (the source side of validate clusters)")
  String getSource();

  void setSource(String url);

  String getSourceUser();

  void setSourceUser(String user);

  String getSourcePasswordEnv();

  void setSourcePasswordEnv(String variable);

  String getSourcePasswordFile();

  void setSourcePasswordFile(String file);

  String getSourceCaCert();

  void setSourceCaCert(String pemFile);

  @Default.Boolean(false)
  boolean getSourceInsecure();

  void setSourceInsecure(boolean insecure);

  @Description("How requests to the source are authenticated: basic (with --sourceUser) or sigv4 (AWS SigV4, credentials "
      + "from the AWS default chain where the job runs)")
  String getSourceAuth();

  void setSourceAuth(String auth);

  @Description("With --sourceAuth=sigv4: the source's AWS region (default: AWS_REGION or the profile's)")
  String getSourceRegion();

  void setSourceRegion(String region);

  @Description("With --sourceAuth=sigv4: es (Amazon OpenSearch Service, default) or aoss (OpenSearch Serverless)")
  String getSourceService();

  void setSourceService(String service);

  @Description("Indices of the source: names, * patterns or regex:...; default: all but system indices")
  List<String> getIndices();

  void setIndices(List<String> indices);

  @Description("How the migration treated indices with several mapping types (Elasticsearch 5): merge or split[:PATTERN]")
  @Default.String("merge")
  String getMultiType();

  void setMultiType(String multiType);

  @Description("Documents that differ are fetched again on both sides after this long (e.g. 5s); those that converge "
      + "count as in-flight. Empty: no second look")
  String getSettle();

  void setSettle(String duration);

  @Description("Lucene documents per snapshot slice")
  @Default.Integer(20_000)
  int getSliceSize();

  void setSliceSize(int documents);

  @Description("Slices per index of a live read (0: one per primary shard)")
  @Default.Integer(0)
  int getSlicesPerIndex();

  void setSlicesPerIndex(int slices);
}
