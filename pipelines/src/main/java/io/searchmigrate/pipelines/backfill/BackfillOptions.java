package io.searchmigrate.pipelines.backfill;

import io.searchmigrate.pipelines.options.S3Options;
import io.searchmigrate.pipelines.options.TargetClusterOptions;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * What to backfill and how, as Beam pipeline options: every Beam and runner option works beside these.
 *
 * <pre>{@code
 * BackfillOptions options = RunnerPresets.parse(List.of("--repo=/data/repo", "--snapshot=snap-1",
 *     "--target=http://localhost:9200", "--indices=orders,logs-*"), BackfillOptions.class);
 * }</pre>
 *
 * <p>Passwords are never options (runners log and show options): {@code --targetPasswordEnv} names an environment
 * variable and {@code --targetPasswordFile} a file, read where the job is launched.
 */
public interface BackfillOptions extends PipelineOptions, TargetClusterOptions, S3Options {
  @Description("Snapshot repository: a folder, or s3://bucket/prefix (with --s3Region, --s3Endpoint)")
  @Validation.Required
  String getRepo();

  void setRepo(String repo);

  @Description("Snapshot name")
  @Validation.Required
  String getSnapshot();

  void setSnapshot(String snapshot);

  @Description("An earlier snapshot of the same indices in the same repository: send only what changed since it "
      + "(documents added or changed are indexed, documents gone are deleted on the target)")
  String getPreviousSnapshot();

  void setPreviousSnapshot(String snapshot);

  @Description("Indices: names, * patterns or regex:...; default: all but system indices")
  List<String> getIndices();

  void setIndices(List<String> indices);

  @Description("NDJSON file for documents that could not be delivered and shards that could not be read, appended as "
      + "they happen (owner-only); left only when something failed (default: dead-letter-<snapshot>-<time>.ndjson in the "
      + "working directory)")
  String getDeadLetter();

  void setDeadLetter(String file);

  @Description("How long to wait for a target that is away (refused connections, timeouts, 429/5xx, answers that are "
      + "not bulk answers) before the run stops, e.g. 90s, 30m, 2h")
  @Default.String("30m")
  String getTargetUnavailableTimeout();

  void setTargetUnavailableTimeout(String timeout);

  @Description("Backfill indices whose mapping filters _source (includes/excludes, or disabled): their documents "
      + "arrive with the fields the snapshot kept only")
  @Default.Boolean(false)
  boolean getAcceptPartialSource();

  void setAcceptPartialSource(boolean accept);

  @Description("Most documents per bulk request")
  @Default.Integer(5_000)
  int getBatchDocs();

  void setBatchDocs(int docs);

  @Description("Most bytes per bulk request")
  @Default.Long(10L << 20)
  long getBatchBytes();

  void setBatchBytes(long bytes);

  @Description("Batch with stateful GroupIntoBatches over this many keys (parallel bulk requests) instead of within "
      + "bundles; 0 = within bundles")
  @Default.Integer(0)
  int getStatefulBatches();

  void setStatefulBatches(int parallelRequests);

  @Description("Lucene documents per slice: the unit of parallel reading")
  @Default.Integer(20_000)
  int getSliceSize();

  void setSliceSize(int documents);

  @Description("Verify every shard file against its recorded checksum before reading")
  @Default.Boolean(true)
  boolean getVerifyChecksums();

  void setVerifyChecksums(boolean verify);

  @Description("Create missing target indices from the snapshot's definitions")
  @Default.Boolean(true)
  boolean getCreateIndices();

  void setCreateIndices(boolean create);

  @Description("Indices with several mapping types (Elasticsearch 5): merge, or split[:PATTERN] into one index per type")
  @Default.String("merge")
  String getMultiType();

  void setMultiType(String multiType);

  @Description("Seconds between progress lines (0: none)")
  @Default.Integer(5)
  int getProgressEverySeconds();

  void setProgressEverySeconds(int seconds);

  @Description("Folder of this backfill's progress ledger (the slices it finished): a run started again skips them "
      + "(default: <stateRoot>/<snapshot>-<hash of the target>; none when neither is given); 'target' keeps it in the "
      + "hidden index .migrate-backfill-ledger on the target, shared by every worker")
  String getState();
  void setState(String folder);

  @Description("Folder under which each backfill keeps its progress ledger when --state is not given")
  String getStateRoot();
  void setStateRoot(String folder);

  @Description("Ignore and clear the progress ledger: read every slice again")
  @Default.Boolean(false)
  boolean getRestart();
  void setRestart(boolean restart);
}
