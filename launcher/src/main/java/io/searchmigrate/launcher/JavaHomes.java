package io.searchmigrate.launcher;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds an installed JDK whose major version lies in a range (each cluster version needs its own). */
final class JavaHomes {
  private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

  private JavaHomes() {}

  /**
   * Picks a JDK with {@code min <= major <= max}, preferring {@code preferred}. Looks at
   * MIGRATE_JAVA_HOME_&lt;major&gt; variables, the running JVM and /usr/lib/jvm.
   */
  static Path find(int min, int max, int preferred, String why) {
    List<Path> candidates = new ArrayList<>();
    for (int major = min; major <= Math.min(max, 40); major++) {
      String configured = System.getenv("MIGRATE_JAVA_HOME_" + major);
      if (configured != null) {
        candidates.add(Path.of(configured));
      }
    }
    candidates.add(Path.of(System.getProperty("java.home")));
    for (Path root : List.of(Path.of("/usr/lib/jvm"), Path.of("/opt/java"), Path.of("/usr/java"))) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> dirs = Files.list(root)) {
          dirs.sorted().forEach(candidates::add);
        } catch (IOException ignored) {
          // an unreadable directory holds no usable JDK
        }
      }
    }
    Set<Path> seen = new LinkedHashSet<>();
    Optional<Path> best = candidates.stream()
        .map(JavaHomes::realPath)
        .filter(seen::add)
        .filter(home -> Files.isExecutable(home.resolve("bin/java")))
        .filter(home -> {
          int v = majorVersion(home);
          return v >= min && v <= max;
        })
        .min(Comparator.comparingInt(home -> Math.abs(majorVersion(home) - preferred)));
    return best.orElseThrow(() -> new UserError(why + " needs a Java " + min + (max >= 40 ? "+" : "-" + max)
        + " JDK and none was found (looked at $MIGRATE_JAVA_HOME_<major>, the running Java and /usr/lib/jvm). "
        + "Install one, or point MIGRATE_JAVA_HOME_" + preferred + " at it"));
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  static int majorVersion(Path home) {
    try {
      Matcher m = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
      if (m.find()) {
        int v = Integer.parseInt(m.group(1));
        return v == 1 ? 8 : v;
      }
    } catch (IOException | RuntimeException ignored) {
      // not a JDK with a release file
    }
    return -1;
  }
}
