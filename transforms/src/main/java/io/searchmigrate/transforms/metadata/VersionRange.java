package io.searchmigrate.transforms.metadata;

import io.searchmigrate.common.UserError;
import io.searchmigrate.common.version.ClusterVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * Which versions a catalogue entry concerns, written as data: {@code any}, {@code ES <7.0}, {@code ES >=6.7 <8.0},
 * {@code OS >=2.7}.
 */
public final class VersionRange {
  private final String text;
  private final ClusterVersion.Flavor flavor;
  private final List<int[]> lowerBounds = new ArrayList<>();
  private final List<int[]> upperBounds = new ArrayList<>();

  private VersionRange(String text, ClusterVersion.Flavor flavor) {
    this.text = text;
    this.flavor = flavor;
  }

  public static VersionRange parse(String text) {
    String t = text.trim();
    if (t.equals("any")) {
      return new VersionRange(t, null);
    }
    String[] parts = t.split("\\s+");
    ClusterVersion.Flavor flavor = switch (parts[0]) {
      case "ES" -> ClusterVersion.Flavor.ELASTICSEARCH;
      case "OS" -> ClusterVersion.Flavor.OPENSEARCH;
      default -> throw new UserError("version range '" + text + "' must start with ES or OS (or be 'any')");
    };
    VersionRange range = new VersionRange(t, flavor);
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      boolean lower = p.startsWith(">=");
      if (!lower && !p.startsWith("<")) {
        throw new UserError("version range '" + text + "': expected >=X.Y or <X.Y, found '" + p + "'");
      }
      String[] number = p.substring(lower ? 2 : 1).split("\\.");
      int[] v = {Integer.parseInt(number[0]), number.length > 1 ? Integer.parseInt(number[1]) : 0};
      (lower ? range.lowerBounds : range.upperBounds).add(v);
    }
    return range;
  }

  public boolean contains(ClusterVersion version) {
    if (flavor == null) {
      return true;
    }
    if (version == null || version.flavor() != flavor) {
      return false;
    }
    for (int[] lower : lowerBounds) {
      if (compare(version, lower) < 0) {
        return false;
      }
    }
    for (int[] upper : upperBounds) {
      if (compare(version, upper) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static int compare(ClusterVersion v, int[] majorMinor) {
    int c = Integer.compare(v.major(), majorMinor[0]);
    return c != 0 ? c : Integer.compare(v.minor(), majorMinor[1]);
  }

  @Override
  public String toString() {
    return text;
  }
}
