package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.json.Json;
import java.util.List;

/**
 * One self-contained HTML page for people: the verdict, the per-index table, the differing documents side by side
 * and, for scheduled runs, the trend of earlier runs. No scripts, no external resources.
 */
public final class ValidationHtml {
  private ValidationHtml() {}

  public static String render(ValidationReport report, int maxDifferences, List<JsonNode> history) {
    StringBuilder h = new StringBuilder();
    boolean pass = report.passed();
    h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>validate ").append(esc(report.mode()))
        .append(": ").append(report.verdict()).append("</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right;vertical-align:top}td.l,th.l{text-align:left}")
        .append(".pass{color:#060}.fail{color:#b00}.bad{background:#fdd}pre{margin:0;white-space:pre-wrap;max-width:40em}")
        .append("</style></head><body>");
    h.append("<h1 class=\"").append(pass ? "pass" : "fail").append("\">").append(pass ? "PASS" : "FAIL").append(": validate ")
        .append(esc(report.mode())).append("</h1>");
    h.append("<p>started ").append(esc(report.started().toString())).append("; ").append(report.compared())
        .append(" document(s) compared</p>");
    List<String> failures = report.failures();
    if (!failures.isEmpty()) {
      h.append("<ul>");
      failures.forEach(f -> h.append("<li>").append(esc(f)).append("</li>"));
      h.append("</ul>");
    }
    h.append("<h2>Indices</h2><table><tr><th class=\"l\">index</th><th>source</th><th>target</th>");
    for (Category c : Category.values()) {
      h.append("<th>").append(c.label()).append("</th>");
    }
    h.append("</tr>");
    for (ValidationReport.IndexResult r : report.indices().values()) {
      boolean bad = r.failures() > 0 || r.sourceCount() + r.targetCount() == 0;
      h.append("<tr").append(bad ? " class=\"bad\"" : "").append("><td class=\"l\">").append(esc(r.index())).append("</td><td>")
          .append(r.sourceCount()).append("</td><td>").append(r.targetCount()).append("</td>");
      for (Category c : Category.values()) {
        h.append("<td>").append(r.count(c)).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>");
    if (!report.differences().isEmpty()) {
      h.append("<h2>Differences (").append(report.differences().size()).append(")</h2>")
          .append("<table><tr><th class=\"l\">category</th><th class=\"l\">index / id</th><th class=\"l\">source</th>")
          .append("<th class=\"l\">target</th></tr>");
      report.differences().stream().limit(maxDifferences).forEach(d -> h.append("<tr><td class=\"l\">")
          .append(d.category().label()).append("</td><td class=\"l\">").append(esc(d.index() + " / " + d.id()))
          .append("</td><td class=\"l\"><pre>").append(side(d.source())).append("</pre></td><td class=\"l\"><pre>")
          .append(side(d.target())).append("</pre></td></tr>"));
      h.append("</table>");
    }
    if (history != null && !history.isEmpty()) {
      h.append("<h2>Trend</h2><table><tr><th class=\"l\">time</th><th class=\"l\">verdict</th><th>compared</th>");
      for (Category c : Category.values()) {
        h.append("<th>").append(c.label()).append("</th>");
      }
      h.append("</tr>");
      for (JsonNode run : history) {
        h.append("<tr><td class=\"l\">").append(esc(run.path("time").asText())).append("</td><td class=\"l ")
            .append(esc(run.path("verdict").asText())).append("\">").append(esc(run.path("verdict").asText()))
            .append("</td><td>").append(run.path("compared").asLong()).append("</td>");
        for (Category c : Category.values()) {
          h.append("<td>").append(run.path(c.label()).asLong()).append("</td>");
        }
        h.append("</tr>");
      }
      h.append("</table>");
    }
    return h.append("</body></html>\n").toString();
  }

  private static String side(ComparedDocument doc) {
    if (doc == null) {
      return "(absent)";
    }
    return esc(Json.toPrettyString(doc.toJson()));
  }

  /** Text made safe for HTML. */
  public static String esc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
