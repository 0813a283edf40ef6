package io.searchmigrate.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.deadletters.DeadLetterIO;
import io.searchmigrate.pipelines.opensearch.OpenSearchRead;
import io.searchmigrate.pipelines.snapshot.SnapshotIO;
import io.searchmigrate.transforms.document.DocumentTransform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Gives the findings of a digest-only comparison their sources back. The comparison carries each document's digest
 * but not its source through the join ({@link ComparedDocument#withoutSource()}); only when the run found
 * differences are the sources of those documents read again, here: the target and a live source by id
 * ({@link OpenSearchRead#fetch}), a snapshot by a second read that keeps only the differing documents.
 *
 * <pre>{@code
 * List<Comparison> shown = DifferenceSources.of(
 *         DifferenceSources.snapshot(indices -> snapshotRead.withIndices(indices), () -> Pipeline.create(options),
 *             transform, workDir),
 *         DifferenceSources.live(targetClient, false, null))
 *     .fill(differences);
 * }</pre>
 *
 * <p>A copy is matched to its finding by key, origin and digest (an Elasticsearch 5 id can have two copies under one
 * target index); a live document that changed since it was compared is shown as it is now.
 */
final class DifferenceSources {
  /** Reads the source side's copies of these documents again; keys are {@link ComparedDocument#identity()}. */
  interface Reader {
    Map<String, ComparedDocument> read(List<ComparedDocument> wanted);
  }

  private final Reader source;
  private final Reader target;

  private DifferenceSources(Reader source, Reader target) {
    this.source = source;
    this.target = target;
  }

  static DifferenceSources of(Reader source, Reader target) {
    return new DifferenceSources(source, target);
  }

  /** Every finding with its sides' sources fetched; findings that carry their sources already are kept as they are. */
  List<Comparison> fill(List<Comparison> findings) {
    List<ComparedDocument> sourceWanted = new ArrayList<>();
    List<ComparedDocument> targetWanted = new ArrayList<>();
    for (Comparison c : findings) {
      if (c.source() != null && c.source().sourceLeftBehind()) {
        sourceWanted.add(c.source());
      }
      if (c.target() != null && c.target().sourceLeftBehind()) {
        targetWanted.add(c.target());
      }
    }
    Map<String, ComparedDocument> sources = sourceWanted.isEmpty() ? Map.of() : source.read(sourceWanted);
    Map<String, ComparedDocument> targets = targetWanted.isEmpty() ? Map.of() : target.read(targetWanted);
    List<Comparison> filled = new ArrayList<>(findings.size());
    for (Comparison c : findings) {
      filled.add(c.withSides(filled(c.source(), sources), filled(c.target(), targets)));
    }
    return filled;
  }

  private static ComparedDocument filled(ComparedDocument side, Map<String, ComparedDocument> found) {
    if (side == null || !side.sourceLeftBehind()) {
      return side;
    }
    ComparedDocument again = found.get(side.identity());
    if (again == null) {
      again = found.get(side.key()); // a live document that changed since: shown as it is now
    }
    return again == null ? side : side.withSourceOf(again);
  }

  /** Reads documents of a live cluster by id, mapped by {@code transform} (null: as stored). */
  static Reader live(ClusterClient client, boolean withTypes, DocumentTransform transform) {
    return wanted -> {
      Map<String, List<String>> idsByIndex = new TreeMap<>();
      for (ComparedDocument d : wanted) {
        List<String> ids = idsByIndex.computeIfAbsent(d.originIndex(), k -> new ArrayList<>());
        if (!ids.contains(d.id())) {
          ids.add(d.id());
        }
      }
      Map<String, ComparedDocument> found = new HashMap<>();
      idsByIndex.forEach((index, ids) -> {
        for (SourceDocument doc : OpenSearchRead.fetch(client, index, ids, withTypes)) {
          for (ComparedDocument d : ToComparedFn.compared(doc, transform)) {
            index(d, found);
          }
        }
      });
      return found;
    };
  }

  /**
   * Reads the wanted documents from a snapshot with a second pipeline: {@code read} is the comparison's snapshot read
   * (restricted to the wanted documents' indices), its documents mapped by {@code transform} and kept only when
   * wanted, written as lines to a file in {@code work}, read back here.
   */
  static Reader snapshot(Function<List<String>, SnapshotIO.Read> read, java.util.function.Supplier<Pipeline> pipelines,
      DocumentTransform transform, Path work) {
    return wanted -> {
      Set<String> rawKeys = new HashSet<>();
      Set<String> identities = new HashSet<>();
      Set<String> indices = new java.util.TreeSet<>();
      for (ComparedDocument d : wanted) {
        rawKeys.add(ComparedDocument.key(d.originIndex(), d.id()));
        identities.add(d.identity());
        indices.add(d.originIndex());
      }
      Path lines = work.resolve("difference-sources.ndjson");
      Pipeline pipeline = pipelines.get();
      PCollection<SourceDocument> docs = pipeline.apply("ReadSnapshotAgain", read.apply(new ArrayList<>(indices)));
      docs.apply("KeepDiffering", ParDo.of(new KeepFn(rawKeys, identities, transform)))
          .apply("SourceLines", DeadLetterIO.append().to(lines.toString()));
      PipelineResult.State state = pipeline.run().waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("reading the differing documents from the snapshot ended " + state);
      }
      Map<String, ComparedDocument> found = new HashMap<>();
      if (Files.exists(lines)) {
        try (Stream<String> all = Files.lines(lines)) {
          all.filter(l -> !l.isBlank()).map(Json::parse).forEach(line -> index(Comparison.side(
              line.path("index").asText(), line.path("id").asText(), line.get("document")), found));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return found;
    };
  }

  private static void index(ComparedDocument d, Map<String, ComparedDocument> found) {
    if (d.digest() != null) {
      found.put(d.identity(), d);
    }
    found.putIfAbsent(d.key(), d);
  }

  /** One line per wanted document of the snapshot: index, id and the document as {@link ComparedDocument#toJson}. */
  static final class KeepFn extends DoFn<SourceDocument, String> {
    private static final long serialVersionUID = 1L;
    private final Set<String> rawKeys;
    private final Set<String> identities;
    private final DocumentTransform transform;

    KeepFn(Set<String> rawKeys, Set<String> identities, DocumentTransform transform) {
      this.rawKeys = rawKeys;
      this.identities = identities;
      this.transform = transform;
    }

    @ProcessElement
    public void process(@Element SourceDocument document, OutputReceiver<String> out) {
      if (!rawKeys.contains(ComparedDocument.key(document.index(), document.id()))) {
        return; // most documents: checked before any parsing
      }
      for (ComparedDocument d : ToComparedFn.compared(document, transform)) {
        if (d.digest() != null && identities.contains(d.identity())) {
          JsonNode line = Json.object().put("index", d.index()).put("id", d.id()).set("document", d.toJson());
          out.output(Json.toString(line));
        }
      }
    }
  }
}
