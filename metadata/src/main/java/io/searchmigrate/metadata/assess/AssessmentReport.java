package io.searchmigrate.metadata.assess;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.transforms.metadata.BreakingChange;
import io.searchmigrate.transforms.metadata.MetadataTransformation;
import io.searchmigrate.transforms.metadata.MetadataTransformer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The assessment of one source against one target version, as text, JSON or a single HTML page. */
public final class AssessmentReport {
  /** A breaking change that touches this source, with what it touches. */
  public static final class Finding {
    public final BreakingChange change;
    public final List<String> affected;

    Finding(BreakingChange change, List<String> affected) {
      this.change = change;
      this.affected = List.copyOf(affected);
    }
  }

  private static final Map<String, MetadataTransformation> TRANSFORMATIONS = new TreeMap<>();

  static {
    MetadataTransformer.CHAIN.forEach(t -> TRANSFORMATIONS.put(t.name(), t));
  }

  private final String source;
  private final ClusterVersion sourceVersion;
  private final ClusterVersion target;
  private final List<String> indices;
  private final int templates;
  private final List<Finding> findings;

  /** @param indices the names of the indices assessed, as the selection chose them (sorted) */
  AssessmentReport(String source, ClusterVersion sourceVersion, ClusterVersion target, List<String> indices, int templates,
      List<Finding> findings) {
    this.source = source;
    this.sourceVersion = sourceVersion;
    this.target = target;
    this.indices = List.copyOf(indices);
    this.templates = templates;
    this.findings = List.copyOf(findings);
  }

  public List<Finding> findings() {
    return findings;
  }

  /** The indices assessed, sorted by name: the ones every other step chooses with the same selection. */
  public List<String> indices() {
    return indices;
  }

  public Finding finding(String id) {
    return findings.stream().filter(f -> f.change.id().equals(id)).findFirst().orElse(null);
  }

  public long clientChangesRequired() {
    return findings.stream().filter(f -> !f.change.clientChanges().isEmpty() && f.change.kind() != BreakingChange.Kind.AUTOMATIC).count();
  }

  private static String automaticText(String name) {
    MetadataTransformation t = TRANSFORMATIONS.get(name);
    return name + (t == null ? "" : ": " + t.description());
  }

  private String heading() {
    return "Assessment: " + source + " → " + target + " (" + indices.size() + " indices and " + templates
        + " templates assessed; system and stack items left out)";
  }

  public String renderText() {
    StringBuilder out = new StringBuilder(heading()).append("\n");
    if (findings.isEmpty()) {
      out.append("\nNo breaking change between ").append(sourceVersion).append(" and ").append(target).append(" touches this source.\n");
      return out.toString();
    }
    for (BreakingChange.Kind kind : BreakingChange.Kind.values()) {
      List<Finding> ofKind = findings.stream().filter(f -> f.change.kind() == kind).toList();
      if (ofKind.isEmpty()) {
        continue;
      }
      out.append('\n').append(title(kind)).append('\n');
      for (Finding f : ofKind) {
        out.append("\n* ").append(f.change.title()).append("  [").append(f.change.id()).append("]\n");
        out.append("  why: ").append(f.change.why()).append('\n');
        out.append("  affects:\n");
        f.affected.stream().limit(50).forEach(a -> out.append("    - ").append(a).append('\n'));
        if (f.affected.size() > 50) {
          out.append("    ... and ").append(f.affected.size() - 50).append(" more (see --output json)\n");
        }
        f.change.automatic().forEach(a -> out.append("  the migration does: ").append(automaticText(a)).append('\n'));
        f.change.clientChanges().forEach(c -> out.append("  client change: ").append(c).append('\n'));
      }
    }
    out.append(String.format(Locale.ROOT, "%n%d breaking change(s) touch this source; %d need client changes.%n", findings.size(),
        clientChangesRequired()));
    return out.toString();
  }

  private static String title(BreakingChange.Kind kind) {
    switch (kind) {
      case CLIENT: return "CLIENT CHANGES REQUIRED";
      case DATA: return "DATA MODEL CHANGES";
      case MANUAL: return "MANUAL ACTION";
      default: return "HANDLED BY THE MIGRATION";
    }
  }

  public ObjectNode toJson() {
    ObjectNode root = Json.object().put("source", source).put("source_version", String.valueOf(sourceVersion))
        .put("target_version", target.toString()).put("indices_assessed", indices.size()).put("templates_assessed", templates);
    root.set("indices", Json.mapper().valueToTree(indices));
    ArrayNode list = root.putArray("findings");
    for (Finding f : findings) {
      ObjectNode node = list.addObject().put("id", f.change.id()).put("title", f.change.title())
          .put("kind", f.change.kind().name().toLowerCase(Locale.ROOT)).put("why", f.change.why());
      node.set("affected", Json.mapper().valueToTree(f.affected));
      ArrayNode automatic = node.putArray("automatic");
      f.change.automatic().forEach(a -> automatic.addObject().put("transformation", a)
          .put("does", TRANSFORMATIONS.containsKey(a) ? TRANSFORMATIONS.get(a).description() : ""));
      node.set("client_changes", Json.mapper().valueToTree(f.change.clientChanges()));
    }
    root.putObject("summary").put("breaking_changes", findings.size()).put("client_changes_required", clientChangesRequired());
    return root;
  }

  /** One self-contained page (inline style, no scripts) a person can read and share. */
  public String renderHtml() {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Migration assessment</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}")
        .append("h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}")
        .append(".finding{border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}")
        .append(".kind{font-size:.75rem;padding:.1rem .4rem;border-radius:4px;color:#fff;margin-left:.5rem}")
        .append(".client{background:#b54708}.manual{background:#b42318}.data{background:#6941c6}.automatic{background:#067647}")
        .append("code{background:#f4f4f4;padding:0 .2rem}summary{cursor:pointer}")
        .append("</style></head><body>\n");
    h.append("<h1>Migration assessment</h1>\n<p>").append(esc(source)).append(" &rarr; ").append(esc(target.toString()))
        .append("<br>").append(indices.size()).append(" indices and ").append(templates)
        .append(" templates assessed (system and stack items left out).</p>\n");
    h.append("<p><strong>").append(findings.size()).append(" breaking change(s)</strong> touch this source; <strong>")
        .append(clientChangesRequired()).append("</strong> need client changes.</p>\n");
    for (BreakingChange.Kind kind : BreakingChange.Kind.values()) {
      List<Finding> ofKind = findings.stream().filter(f -> f.change.kind() == kind).toList();
      if (ofKind.isEmpty()) {
        continue;
      }
      h.append("<h2>").append(esc(title(kind).charAt(0) + title(kind).substring(1).toLowerCase(Locale.ROOT))).append("</h2>\n");
      for (Finding f : ofKind) {
        String cls = kind.name().toLowerCase(Locale.ROOT);
        h.append("<div class=\"finding\" id=\"").append(esc(f.change.id())).append("\"><h3>").append(esc(f.change.title()))
            .append("<span class=\"kind ").append(cls).append("\">").append(cls).append("</span></h3>\n<p>")
            .append(esc(f.change.why())).append("</p>\n<details").append(f.affected.size() <= 10 ? " open" : "")
            .append("><summary>Affects ").append(f.affected.size()).append(" item(s)</summary><ul>");
        f.affected.forEach(a -> h.append("<li>").append(esc(a)).append("</li>"));
        h.append("</ul></details>\n");
        if (!f.change.automatic().isEmpty()) {
          h.append("<p>The migration does:</p><ul>");
          f.change.automatic().forEach(a -> h.append("<li><code>").append(esc(a)).append("</code>")
              .append(TRANSFORMATIONS.containsKey(a) ? ": " + esc(TRANSFORMATIONS.get(a).description()) : "").append("</li>"));
          h.append("</ul>\n");
        }
        if (!f.change.clientChanges().isEmpty()) {
          h.append("<p>Client changes:</p><ul>");
          f.change.clientChanges().forEach(c -> h.append("<li>").append(esc(c)).append("</li>"));
          h.append("</ul>\n");
        }
        h.append("</div>\n");
      }
    }
    return h.append("</body></html>\n").toString();
  }

  private static String esc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
