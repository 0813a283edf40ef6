package io.searchmigrate.console;

import io.searchmigrate.testkit.TestClusters;

/** The target every console test writes to: OpenSearch 2.19.1 with the extra modules (shared per JVM). */
final class TestTargets {
  private TestTargets() {}

  static String url() {
    return TestClusters.opensearchWithModules("2.19.1").url();
  }
}
