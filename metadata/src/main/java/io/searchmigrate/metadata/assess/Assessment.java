package io.searchmigrate.metadata.assess;

import io.searchmigrate.common.Selection;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.SourceMetadata;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.transforms.metadata.BreakingChange;
import io.searchmigrate.transforms.metadata.BreakingChangeDetectors;
import java.util.ArrayList;
import java.util.List;

/**
 * Which breaking changes between a source's version and a target version touch this source, and where: every
 * catalogue entry whose version ranges match runs its detector over the selected indices and templates.
 *
 * <pre>{@code
 * AssessmentReport report = Assessment.of(SnapshotMetadata.of(repo, "snap-1"), ClusterVersion.parse("OS 2.19.1"),
 *     Selection.defaults());
 * System.out.println(report.renderText());
 * }</pre>
 */
public final class Assessment {
  private Assessment() {}

  public static AssessmentReport of(SourceMetadata source, ClusterVersion target, Selection selection) {
    List<String> names = source.indexNames(selection);
    List<IndexMetadata> indices = new ArrayList<>();
    for (String name : names) {
      indices.add(source.index(name));
    }
    List<TemplateMetadata> templates = source.templates().stream().filter(t -> selection.templateExclusion(t) == null)
        .sorted(TemplateMetadata.CREATION_ORDER).toList();
    BreakingChangeDetectors.Source scope = new BreakingChangeDetectors.Source(indices, templates, source.version(), target);
    List<AssessmentReport.Finding> findings = new ArrayList<>();
    for (BreakingChange change : BreakingChange.catalogue()) {
      if (change.sourceRange().contains(source.version()) && change.targetRange().contains(target)) {
        List<String> affected = BreakingChangeDetectors.detect(change.detector(), scope);
        if (!affected.isEmpty()) {
          findings.add(new AssessmentReport.Finding(change, affected));
        }
      }
    }
    return new AssessmentReport(source.description(), source.version(), target, names, templates.size(), findings);
  }
}
