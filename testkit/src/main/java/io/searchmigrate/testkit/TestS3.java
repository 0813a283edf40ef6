package io.searchmigrate.testkit;

import io.searchmigrate.launcher.LocalProcesses;
import io.searchmigrate.launcher.LocalS3;
import io.searchmigrate.launcher.ProcessSupervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3 API server for tests (s3proxy, started through the product's own launcher as a separate process and
 * shared by every test in the JVM; stopped when the JVM exits unless it was already running), and a client to fill
 * its buckets as a user's tools would.
 *
 * <pre>{@code
 * TestS3.useServerCredentials();                 // the AWS default chain of this JVM now finds the server's keys
 * String repo = TestS3.upload(Fixtures.snapshot("ES_7_10_Single"), "fixtures", "es710");   // "s3://fixtures/es710"
 * ... --repo repo --s3-endpoint TestS3.endpoint() --s3-region us-east-1 ...
 * }</pre>
 */
public final class TestS3 {
  public static final String REGION = "us-east-1";
  private static final String NAME = "test-s3";
  private static final LocalS3 LAUNCHER = new LocalS3(ProcessSupervisor.defaultHome(), line -> System.out.println("[test-s3] " + line));
  private static LocalS3.Server server;

  private TestS3() {}

  /** The shared server, started on first use. */
  public static synchronized LocalS3.Server shared() {
    if (server != null && server.isRunning()) {
      return server;
    }
    Optional<LocalS3.Server> running = LAUNCHER.find(NAME).filter(LocalS3.Server::isRunning);
    if (running.isPresent()) {
      server = running.get();
      return server;
    }
    boolean firstStartHere = server == null;
    server = LAUNCHER.start(NAME, 0, LocalS3.serverLib(LocalProcesses.projectRoot(TestS3.class)));
    if (firstStartHere) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> LAUNCHER.stop(NAME), "stop-" + NAME));
    }
    return server;
  }

  public static String endpoint() {
    return shared().endpoint();
  }

  /**
   * Points this JVM's AWS default credentials chain (system properties {@code aws.accessKeyId} and
   * {@code aws.secretAccessKey}, which come before the environment and profiles) at the shared server's keys.
   */
  public static synchronized void useServerCredentials() {
    System.setProperty("aws.accessKeyId", shared().identity());
    System.setProperty("aws.secretAccessKey", shared().credential());
  }

  /** A client of the shared server, signing with its keys. */
  public static S3Client client() {
    return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.of(REGION)).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(shared().identity(), shared().credential())))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** Creates the bucket when missing. */
  public static void createBucket(S3Client s3, String bucket) {
    try {
      s3.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException e) {
      // there already, from an earlier test
    }
  }

  /**
   * A prefix no test wrote to yet, {@code s3://bucket/run-<n>}, in a bucket created when missing, with this JVM's AWS
   * default chain pointed at the server's keys ({@link #useServerCredentials()}).
   */
  public static String freshPrefix(String bucket) {
    useServerCredentials();
    try (S3Client s3 = client()) {
      createBucket(s3, bucket);
    }
    return "s3://" + bucket + "/run-" + Long.toString(System.nanoTime(), 36);
  }

  /** Puts every file under {@code folder} as an object under {@code bucket/prefix/}; returns {@code s3://bucket/prefix}. */
  public static String upload(Path folder, String bucket, String prefix) {
    try (S3Client s3 = client(); Stream<Path> files = Files.walk(folder)) {
      createBucket(s3, bucket);
      List<Path> regular = files.filter(Files::isRegularFile).sorted().toList();
      for (Path file : regular) {
        String key = prefix + "/" + folder.relativize(file).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
      }
      return "s3://" + bucket + "/" + prefix;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes every object of {@code bucket} whose key starts with {@code prefix}; returns how many there were. */
  public static int deleteAll(String bucket, String prefix) {
    try (S3Client s3 = client()) {
      createBucket(s3, bucket);
      int deleted = 0;
      for (var object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
        deleted++;
      }
      return deleted;
    }
  }
}
