package io.searchmigrate.pipelines.opensearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.Durations;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.http.ClusterUnreachableException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one batch with {@code _bulk} until every document is either acknowledged or rejected for itself.
 *
 * <ul>
 *   <li>A target that is away (connection refused, timeouts, 429, 5xx) or answers something that is not a bulk answer
 *       (a gateway's {@code 200 {}}, HTML, fewer items than sent, an item without a status) is waited for with
 *       backoff, up to the backoff's give-up time since the trouble began; then the run stops with a clear error.
 *       Nothing is dead-lettered for the target's own trouble.</li>
 *   <li>Items answered 429/5xx are sent again, alone; other item errors are the document's own and are reported.</li>
 *   <li>A whole request refused with 413, 400, 404 or another 4xx is halved until the document(s) at fault are
 *       alone; only they are reported.</li>
 *   <li>401/403 stop the run: no document can be written with those credentials.</li>
 * </ul>
 */
final class BulkWriter {
  private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);
  /** Only what is needed per item: keeps responses of big batches small. */
  private static final String BULK_PATH = "/_bulk?filter_path=errors,items.*.status,items.*.error";
  /** While the target is away, say so (and why) about this often. */
  private static final long WARN_EVERY_NANOS = 15_000_000_000L;

  /** What became of the batch. */
  interface Outcome {
    void written(BulkItem item);

    void failed(FailedDocument failure);

    /** The target is away or answers out of turn ({@code reason}), for {@code troubledMillis} so far; the writer waits and tries again. */
    default void waiting(String reason, long troubledMillis) {}
  }

  private final ClusterClient client;
  private final Backoff backoff;
  private final Duration timeout;

  BulkWriter(ClusterClient client, Backoff backoff, Duration timeout) {
    this.client = client;
    this.backoff = backoff;
    this.timeout = timeout;
  }

  /** Returns the number of body bytes the target acknowledged. */
  long write(List<BulkItem> batch, Outcome outcome) {
    return new Attempts(outcome).write(batch);
  }

  /** One batch's way through the target's trouble: the time the current trouble began and the retries so far. */
  private final class Attempts {
    private final Outcome outcome;
    private long troubleSince = -1;
    private int retries;
    private long lastWarning;

    Attempts(Outcome outcome) {
      this.outcome = outcome;
    }

    long write(List<BulkItem> batch) {
      List<BulkItem> pending = batch;
      long bytesSent = 0;
      while (!pending.isEmpty()) {
        byte[] body = body(pending);
        ClusterResponse response;
        try {
          response = client.send("POST", BULK_PATH, body, ClusterClient.NDJSON, timeout);
        } catch (ClusterUnreachableException e) {
          waitOut(e.getMessage(), pending.size());
          continue;
        }
        int status = response.status();
        if (status == 429 || status >= 500) {
          waitOut("the target answered HTTP " + status + ": " + response.errorReason(), pending.size());
          continue;
        }
        if (status == 401 || status == 403) {
          throw new UserError("the target refused the bulk request (HTTP " + status + "): " + response.errorReason()
              + ". Check the target credentials and that the user may write to the indices");
        }
        if (status >= 400) {
          return bytesSent + split(pending, response);
        }
        if (status >= 200 && status < 300 && allAcknowledged(response.body(), pending)) {
          for (BulkItem doc : pending) {
            outcome.written(doc);
            bytesSent += doc.size();
          }
          troubleSince = -1;
          retries = 0;
          return bytesSent;
        }
        String notBulk = status >= 300 || status < 200 ? "the target answered HTTP " + status + " to a bulk request"
            : notABulkAnswer(response, pending.size());
        if (notBulk != null) {
          waitOut(notBulk, pending.size());
          continue;
        }
        JsonNode items = response.json().path("items");
        List<BulkItem> retry = new ArrayList<>();
        String retryReason = null;
        for (int i = 0; i < pending.size(); i++) {
          BulkItem doc = pending.get(i);
          JsonNode item = items.path(i).elements().next();
          int itemStatus = item.path("status").asInt();
          if (itemStatus >= 200 && itemStatus < 300 || itemStatus == 404 && doc.isDelete() && !item.has("error")) {
            // a delete of a document the target does not hold (not_found) leaves what a delete should
            outcome.written(doc);
            bytesSent += doc.size();
          } else if (itemStatus == 429 || itemStatus >= 500) {
            retryReason = "items answered HTTP " + itemStatus + ": " + ClusterResponse.describeError(item.path("error"));
            retry.add(doc);
          } else {
            JsonNode error = item.path("error");
            outcome.failed(failure(doc, error.path("type").asText("http_" + itemStatus), ClusterResponse.describeError(error),
                itemStatus));
          }
        }
        if (retry.size() < pending.size()) {
          troubleSince = -1; // the target made progress: a new trouble starts its own clock
          retries = 0;
        }
        if (!retry.isEmpty()) {
          waitOut(retryReason, retry.size());
        }
        pending = retry;
      }
      return bytesSent;
    }

    /** Waits before the next try, or stops the run once the trouble has lasted the backoff's give-up time. */
    private void waitOut(String reason, int documents) {
      long now = System.nanoTime();
      if (troubleSince < 0) {
        troubleSince = now;
      }
      long troubledMillis = (now - troubleSince) / 1_000_000;
      if (!backoff.keepsWaiting(troubledMillis)) {
        throw new UserError("gave up on the target after " + human(troubledMillis) + " (--target-unavailable-timeout "
            + human(backoff.giveUpAfter().toMillis()) + "): " + reason + (reason.matches(".*[.?!]$") ? " " : ". ") + documents
            + " document(s) of a batch were not "
            + "written; documents already written stay. Run the backfill again once the target is healthy: documents keep "
            + "their ids, so a second run overwrites rather than duplicates");
      }
      retries++;
      if (retries == 1 || now - lastWarning >= WARN_EVERY_NANOS) {
        lastWarning = now;
        LOG.warn("waiting for the target for {} ({} retries; gives up after {}): {}", human(troubledMillis), retries,
            human(backoff.giveUpAfter().toMillis()), reason);
      }
      outcome.waiting(reason, troubledMillis);
      backoff.sleep(retries, troubledMillis);
    }

    /** A whole request refused (413, 400, 404, ...): halve it until the documents at fault are alone. */
    private long split(List<BulkItem> pending, ClusterResponse response) {
      int status = response.status();
      if (pending.size() == 1) {
        BulkItem doc = pending.get(0);
        if (status == 413) {
          outcome.failed(failure(doc, "request_entity_too_large", "the document alone (" + doc.size()
              + " bytes) exceeds the target's http.max_content_length", 413));
        } else {
          outcome.failed(failure(doc, response.errorType().isEmpty() ? "bulk_http_" + status : response.errorType(),
              "the target refused a bulk request holding only this document (HTTP " + status + "): " + response.errorReason(),
              status));
        }
        return 0;
      }
      int half = pending.size() / 2;
      return write(new ArrayList<>(pending.subList(0, half))) + write(new ArrayList<>(pending.subList(half, pending.size())));
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Whether {@code body} is the bulk answer of a batch that went in whole: {@code "errors":false} and one item per
   * document, each with a 2xx status (or 404 for a delete of a document the target does not hold). Read as a stream,
   * without building a tree of the answer (a tree of 5,000 items cost more than a tenth of the pipeline's CPU). False
   * for anything else, which the item-by-item path then reads and accounts for.
   */
  static boolean allAcknowledged(byte[] body, List<BulkItem> sent) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      boolean noErrors = false;
      int items = -1;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("errors")) {
          noErrors = value == JsonToken.VALUE_FALSE;
          if (!noErrors) {
            return false;
          }
        } else if (field.equals("items") && value == JsonToken.START_ARRAY) {
          items = 0;
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            if (items >= sent.size() || !acknowledged(parser, sent.get(items))) {
              return false;
            }
            items++;
          }
        } else {
          parser.skipChildren();
        }
      }
      return noErrors && items == sent.size();
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads one item {@code {"index":{"status":201,...}}} (the parser is on its start) and says whether it succeeded. */
  private static boolean acknowledged(JsonParser parser, BulkItem doc) throws IOException {
    if (parser.nextToken() != JsonToken.FIELD_NAME || parser.nextToken() != JsonToken.START_OBJECT) {
      return false;
    }
    int status = -1;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("status") && value == JsonToken.VALUE_NUMBER_INT) {
        status = parser.getIntValue();
      } else if (field.equals("error")) {
        return false;
      } else {
        parser.skipChildren();
      }
    }
    return parser.nextToken() == JsonToken.END_OBJECT
        && (status >= 200 && status < 300 || status == 404 && doc.isDelete());
  }

  /** Why a 2xx answer is not the bulk answer to {@code sent} documents, or null when it is one. */
  static String notABulkAnswer(ClusterResponse response, int sent) {
    JsonNode body;
    try {
      body = response.json();
    } catch (RuntimeException e) {
      return "the target answered HTTP " + response.status() + " with a body that is not JSON (a proxy or gateway in "
          + "between?): " + snippet(response);
    }
    if (!body.path("errors").isBoolean()) {
      return "the target answered HTTP " + response.status() + " without the bulk answer's 'errors' field (a proxy or gateway "
          + "in between?): " + snippet(response);
    }
    JsonNode items = body.path("items");
    if (!items.isArray() || items.size() != sent) {
      return "the bulk answer holds " + (items.isArray() ? items.size() : 0) + " item(s) for " + sent + " document(s) sent";
    }
    for (JsonNode item : items) {
      JsonNode action = item.elements().hasNext() ? item.elements().next() : null;
      if (action == null || !action.path("status").isInt()) {
        return "the bulk answer has an item without a status: " + item;
      }
    }
    return null;
  }

  private static String snippet(ClusterResponse response) {
    String text = response.bodyText().strip().replaceAll("\\s+", " ");
    return text.length() > 120 ? text.substring(0, 120) + "..." : text;
  }

  private static String human(long millis) {
    return Durations.human(Duration.ofMillis(millis));
  }

  /** The NDJSON {@code _bulk} body: the items' lines one after another, written once into a body of the exact size. */
  static byte[] body(List<BulkItem> items) {
    long size = 0;
    for (BulkItem item : items) {
      size += item.size();
    }
    byte[] body = new byte[Math.toIntExact(size)];
    int at = 0;
    for (BulkItem item : items) {
      at = item.writeTo(body, at);
    }
    return body;
  }

  private static FailedDocument failure(BulkItem doc, String type, String reason, int status) {
    return new FailedDocument(doc.isDelete() ? FailedDocument.Stage.DELETE : FailedDocument.Stage.WRITE, doc.index(), doc.id(), doc.routing(), type, reason, status, doc.source());
  }
}
