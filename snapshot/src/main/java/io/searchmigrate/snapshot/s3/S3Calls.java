package io.searchmigrate.snapshot.s3;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs S3 requests with retries and turns S3's refusals into errors that say what to do. Retried, with exponential
 * backoff and jitter: 5xx answers, throttling (429, 503 SlowDown) and broken connections, including a body cut off
 * mid-stream (the SDK's own few retries come first). A missing object is a {@link NoSuchFileException}; refused
 * credentials, a missing bucket or the wrong region are {@link UserError}s.
 */
public final class S3Calls {
  private static final Logger LOG = LoggerFactory.getLogger(S3Calls.class);
  static final int ATTEMPTS = 10;
  private static final long FIRST_PAUSE_MILLIS = 200;
  private static final long MAX_PAUSE_MILLIS = 8_000;

  private S3Calls() {}

  /** One request; SDK exceptions are unchecked, an {@link IOException} is thrown for a short or broken read. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code call}, retrying what may pass on a second try.
   *
   * @param what the object or request, for messages ({@code s3://bucket/key (bytes 0-1023)})
   */
  public static <T> T withRetries(String what, S3Access access, Call<T> call) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Exception failure;
      try {
        return call.run();
      } catch (S3Exception e) {
        int status = e.statusCode();
        if (status == 404) {
          throw new NoSuchFileException(what, null, "not found in S3 (" + errorCode(e) + ")");
        }
        if (!(status >= 500 || status == 429)) {
          throw refused(what, access, e);
        }
        failure = e;
      } catch (SdkClientException e) {
        if (!brokenConnection(e)) {
          throw refused(what, access, e);
        }
        failure = e;
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        failure = e;
      }
      if (attempt >= ATTEMPTS) {
        throw new IOException(what + " failed at " + access.describe() + " after " + ATTEMPTS + " attempts: "
            + describe(failure), failure);
      }
      long pause = Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << (attempt - 1));
      pause = pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
      LOG.warn("S3: {} failed ({}); trying again in {} ms (attempt {} of {})", what, describe(failure), pause, attempt + 1, ATTEMPTS);
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting to retry " + what);
      }
    }
  }

  private static boolean brokenConnection(SdkClientException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return e.retryable();
  }

  /** An answer no retry will change, as an error that says what to check. */
  static RuntimeException refused(String what, S3Access access, SdkException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof SdkClientException && message.contains("credentials")) {
      return new UserError("no AWS credentials were found for " + what + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
          + "(and AWS_SESSION_TOKEN for temporary keys), or AWS_PROFILE, or run where a role provides them", e);
    }
    if (e instanceof S3Exception s3) {
      String code = errorCode(s3);
      switch (code) {
        case "NoSuchBucket":
          return new UserError("the bucket of " + what + " does not exist at " + access.describe()
              + "; check the bucket name" + (access.endpoint() == null ? " and --s3-region" : " and --s3-endpoint"), e);
        case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken":
          return new UserError(access.describe() + " refused these credentials for " + what + " (" + code + ", HTTP "
              + s3.statusCode() + "): check the keys the AWS default chain finds (AWS_ACCESS_KEY_ID, AWS_PROFILE, the "
              + "role) and that they may list, read (and for dead letters write) the bucket", e);
        case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
          String region = s3.awsErrorDetails() == null ? null
              : s3.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElse(null);
          return new UserError("the bucket of " + what + " is not in " + access.describe() + " ("
              + code + "): give its region with --s3-region" + (region != null ? " " + region : ""), e);
        default:
          if (s3.statusCode() == 403) {
            return new UserError(access.describe() + " refused " + what + " (HTTP 403 " + code + "): check the credentials "
                + "the AWS default chain finds and their permissions", e);
          }
          return new UserError(access.describe() + " refused " + what + ": HTTP " + s3.statusCode() + " " + code + ": "
              + message, e);
      }
    }
    return new UserError("cannot reach " + access.describe() + " for " + what + ": " + message, e);
  }

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null ? e.awsErrorDetails().errorCode()
        : "HTTP " + e.statusCode();
  }

  private static String describe(Exception e) {
    if (e instanceof S3Exception s3) {
      return "HTTP " + s3.statusCode() + " " + errorCode(s3);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
  }
}
