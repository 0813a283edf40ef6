package io.searchmigrate.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a benchmark states beside its figures on a shared machine: the load average, and this JVM's CPU time (CPU per
 * unit of work means more than a wall time when other processes compete for the cores).
 *
 * <pre>{@code
 * long before = LoadFigures.processCpuMillis();
 * ... // the work
 * double cpuPerRequest = (LoadFigures.processCpuMillis() - before) / (double) requests;
 * System.out.println("load average " + LoadFigures.loadAverage());
 * }</pre>
 */
final class LoadFigures {
  private LoadFigures() {}

  /** {@code /proc/loadavg} as it reads (1, 5 and 15 minutes, ...), or "?" where there is none. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  /** CPU time of this JVM (every thread, user and system) so far, in milliseconds. */
  static long processCpuMillis() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1_000_000;
    }
    return 0;
  }
}
