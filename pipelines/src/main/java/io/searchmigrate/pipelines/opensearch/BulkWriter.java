package io.searchmigrate.pipelines.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.http.ClusterUnreachableException;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one batch with {@code _bulk} until every document is either acknowledged or failed for good.
 * 429 and 5xx answers (whole request or single items) are retried with backoff, only the documents that
 * still need it; other item errors are final and reported. A target that cannot be reached at all after every
 * attempt stops the run with a clear error rather than dead-lettering everything.
 */
final class BulkWriter {
  private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);
  /** Only what is needed per item: keeps responses of big batches small. */
  private static final String BULK_PATH = "/_bulk?filter_path=errors,items.*.status,items.*.error";

  /** What became of the batch. */
  interface Outcome {
    void written(BulkItem item);

    void failed(FailedDocument failure);
  }

  private final ClusterClient client;
  private final Backoff backoff;
  private final Duration timeout;

  BulkWriter(ClusterClient client, Backoff backoff, Duration timeout) {
    this.client = client;
    this.backoff = backoff;
    this.timeout = timeout;
  }

  /** Returns the number of body bytes sent on the successful attempts. */
  long write(List<BulkItem> batch, Outcome outcome) {
    List<BulkItem> pending = batch;
    String lastProblem = null;
    long bytesSent = 0;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      if (attempt > 1) {
        LOG.info("retrying {} document(s) (attempt {} of {}): {}", pending.size(), attempt, backoff.maxAttempts(), lastProblem);
        backoff.sleep(attempt - 1);
      }
      boolean lastAttempt = attempt >= backoff.maxAttempts();
      byte[] body = body(pending);
      ClusterResponse response;
      try {
        response = client.send("POST", BULK_PATH, body, ClusterClient.NDJSON, timeout);
      } catch (ClusterUnreachableException e) {
        lastProblem = e.getMessage();
        if (lastAttempt) {
          throw new UserError(lastProblem + " (gave up after " + attempt + " attempts over about "
              + backoff.worstCaseMillis() / 1000 + " s; " + pending.size() + " document(s) of this batch not written)", e);
        }
        continue;
      }
      int status = response.status();
      if (status == 429 || status >= 500) {
        lastProblem = "target answered HTTP " + status + ": " + response.errorReason();
        if (lastAttempt) {
          failAll(pending, "bulk_http_" + status, "gave up after " + attempt + " attempts: " + lastProblem, status, outcome);
          return bytesSent;
        }
        continue;
      }
      if (status == 413) {
        return bytesSent + splitTooLarge(pending, outcome);
      }
      if (status == 401 || status == 403) {
        throw new UserError("the target refused the bulk request (HTTP " + status + "): " + response.errorReason()
            + ". Check the target credentials and that the user may write to the indices");
      }
      if (!response.isSuccess()) {
        failAll(pending, response.errorType().isEmpty() ? "bulk_http_" + status : response.errorType(),
            response.errorReason(), status, outcome);
        return bytesSent;
      }
      bytesSent += body.length;
      JsonNode result = response.json();
      if (!result.path("errors").asBoolean(false)) {
        pending.forEach(outcome::written);
        return bytesSent;
      }
      List<BulkItem> retry = new ArrayList<>();
      JsonNode items = result.path("items");
      for (int i = 0; i < pending.size(); i++) {
        JsonNode item = items.path(i).elements().hasNext() ? items.path(i).elements().next() : null;
        BulkItem doc = pending.get(i);
        if (item == null) {
          lastProblem = "the bulk response lacks item " + i;
          retry.add(doc);
          continue;
        }
        int itemStatus = item.path("status").asInt();
        if (itemStatus >= 200 && itemStatus < 300) {
          outcome.written(doc);
        } else if (itemStatus == 429 || itemStatus >= 500) {
          lastProblem = "item answered HTTP " + itemStatus + ": " + ClusterResponse.describeError(item.path("error"));
          retry.add(doc);
        } else {
          JsonNode error = item.path("error");
          outcome.failed(failure(doc, error.path("type").asText("http_" + itemStatus), ClusterResponse.describeError(error), itemStatus));
        }
      }
      if (!retry.isEmpty() && lastAttempt) {
        failAll(retry, "retries_exhausted", "gave up after " + attempt + " attempts: " + lastProblem, 0, outcome);
        return bytesSent;
      }
      pending = retry;
    }
    return bytesSent;
  }

  /** HTTP 413: the target's request size limit is below this batch; halve it until single documents remain. */
  private long splitTooLarge(List<BulkItem> pending, Outcome outcome) {
    if (pending.size() == 1) {
      BulkItem doc = pending.get(0);
      outcome.failed(failure(doc, "request_entity_too_large", "the document alone (" + doc.size()
          + " bytes) exceeds the target's http.max_content_length", 413));
      return 0;
    }
    int half = pending.size() / 2;
    return write(new ArrayList<>(pending.subList(0, half)), outcome) + write(new ArrayList<>(pending.subList(half, pending.size())), outcome);
  }

  /** The NDJSON {@code _bulk} body: the items' lines one after another. */
  static byte[] body(List<BulkItem> items) {
    long size = 0;
    for (BulkItem item : items) {
      size += item.size();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
    for (BulkItem item : items) {
      out.writeBytes(item.lines());
    }
    return out.toByteArray();
  }

  private static void failAll(List<BulkItem> docs, String type, String reason, int status, Outcome outcome) {
    docs.forEach(d -> outcome.failed(failure(d, type, reason, status)));
  }

  private static FailedDocument failure(BulkItem doc, String type, String reason, int status) {
    return new FailedDocument(FailedDocument.Stage.WRITE, doc.index(), doc.id(), doc.routing(), type, reason, status, doc.source());
  }
}
