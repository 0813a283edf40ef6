package io.searchmigrate.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import java.nio.charset.StandardCharsets;

/** A cluster's answer: status and body bytes, with helpers to read Elasticsearch-style errors. */
public final class ClusterResponse {
  private final String method;
  private final String path;
  private final int status;
  private final byte[] body;

  public ClusterResponse(String method, String path, int status, byte[] body) {
    this.method = method;
    this.path = path;
    this.status = status;
    this.body = body == null ? new byte[0] : body;
  }

  public int status() {
    return status;
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  public byte[] body() {
    return body;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public JsonNode json() {
    return Json.parse(body);
  }

  /**
   * The reason the cluster gave, as "type: reason" from an Elasticsearch error body, or the raw body
   * (shortened) when it is not one.
   */
  public String errorReason() {
    try {
      JsonNode error = json().path("error");
      if (error.isObject()) {
        JsonNode cause = error.path("root_cause").path(0);
        return describeError(cause.isObject() && !error.has("reason") ? cause : error);
      }
      if (error.isTextual()) {
        return error.asText();
      }
    } catch (RuntimeException notJson) {
      // fall through to the raw body
    }
    String text = bodyText().strip();
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }

  /**
   * "type: reason (caused by type: reason)" for an Elasticsearch error object, whole requests' and bulk items'
   * alike; the useful part is often nested ("failed to create repository" caused by "location ... path.repo").
   */
  public static String describeError(JsonNode error) {
    if (error.isTextual()) {
      return error.asText();
    }
    String type = error.path("type").asText("");
    String reason = error.path("reason").asText("");
    StringBuilder text = new StringBuilder(type.isEmpty() ? reason : type + ": " + reason);
    for (JsonNode cause = error.path("caused_by"); cause.isObject(); cause = cause.path("caused_by")) {
      text.append(" (caused by ").append(cause.path("type").asText()).append(": ").append(cause.path("reason").asText()).append(')');
    }
    return text.toString();
  }

  /** The cluster's error type ({@code error.type}), or empty. */
  public String errorType() {
    try {
      return json().path("error").path("type").asText("");
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  /** Throws a {@link ClusterRequestException} unless the status is 2xx. */
  public ClusterResponse requireSuccess() {
    if (!isSuccess()) {
      throw new ClusterRequestException(method, path, this);
    }
    return this;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }
}
