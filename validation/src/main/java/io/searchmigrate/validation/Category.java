package io.searchmigrate.validation;

import java.util.Locale;

/** What a comparison found for one document, keyed by (target index, {@code _id}). */
public enum Category {
  /** Same source (compared canonically) and same routing on both sides. */
  EQUAL,
  /** On the source only: the target lost it. */
  MISSING,
  /** On the target only. */
  UNEXPECTED,
  /** On both, with different sources. */
  DIFFERS,
  /** On both, same source, other routing (so the target keeps it in another shard). */
  ROUTING,
  /** Differed at first, then was the same on both sides after {@code --settle}: writes still arriving. */
  IN_FLIGHT;

  /** The name in reports: lower case, {@code in-flight}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Category ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** Whether a document in this category fails the run. */
  public boolean isFailure() {
    return this != EQUAL && this != IN_FLIGHT;
  }

  /** Whether the source holds the document. */
  boolean onSource() {
    return this != UNEXPECTED;
  }

  /** Whether the target holds the document. */
  boolean onTarget() {
    return this != MISSING;
  }
}
