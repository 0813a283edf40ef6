package io.searchmigrate.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real snapshot repositories in {@code ../shared/fixtures/snapshots}, read in place. A user's clone has
 * no {@code ../shared}: there the tests that need them are skipped with a printed notice. CI sets
 * MIGRATE_REQUIRE_FIXTURES=1 so that a missing folder fails instead of skipping.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path snapshots() {
    String root = System.getProperty("searchmigrate.projectRoot", ".");
    Path dir = Path.of(root).toAbsolutePath().normalize().resolveSibling("shared").resolve("fixtures").resolve("snapshots");
    if (!Files.isDirectory(dir)) {
      String message = "snapshot fixtures not found at " + dir + " (they live beside the project in ../shared)";
      if ("1".equals(System.getenv("MIGRATE_REQUIRE_FIXTURES"))) {
        Assertions.fail(message + "; MIGRATE_REQUIRE_FIXTURES=1 forbids skipping");
      }
      System.out.println("NOTICE: skipping fixture tests: " + message);
      Assumptions.abort(message);
    }
    return dir;
  }

  public static Path snapshot(String name) {
    return snapshots().resolve(name);
  }
}
