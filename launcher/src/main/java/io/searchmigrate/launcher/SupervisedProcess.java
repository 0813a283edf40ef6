package io.searchmigrate.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the {@link ProcessSupervisor} recorded about a process it started: its PID, a marker that its command
 * line carries (so a reused PID is never taken for it), its log, where clients reach it, the ports it holds and
 * the facts that only its kind knows (a cluster's version, a proxy's topic, ...). Never holds secrets: option
 * values a user passed are not recorded.
 *
 * @param dir the process's folder, {@code <home>/<kind folder>/<name>}; it holds the state file
 * @param address where clients reach it: a URL or host:port
 * @param ports the ports it listens on, by role ("http", "broker", "controller", "listen", "admin")
 * @param attributes what its kind records besides, in a fixed order
 */
public record SupervisedProcess(ProcessKind kind, String name, long pid, String marker, Path dir, Path log, String address,
    Map<String, Integer> ports, Map<String, String> attributes) {

  public SupervisedProcess {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(marker, "marker");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(address, "address");
    if (marker.isBlank()) {
      throw new IllegalArgumentException("a blank marker would match any process");
    }
    ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** True while the recorded PID is alive and its command line still carries the marker (PIDs get reused). */
  public boolean isRunning() {
    return ProcessSupervisor.isRunning(pid, marker);
  }

  /** The port recorded for {@code role}, or 0 when none was. */
  public int port(String role) {
    return ports.getOrDefault(role, 0);
  }

  /** The attribute recorded under {@code key}, or null when none was. */
  public String attribute(String key) {
    return attributes.get(key);
  }

  JsonNode toJson() {
    ObjectNode node = Json.object();
    node.put("kind", kind.id()).put("name", name).put("pid", pid).put("marker", marker).put("log", log.toString())
        .put("address", address);
    ObjectNode portNode = node.putObject("ports");
    ports.forEach(portNode::put);
    ObjectNode attributeNode = node.putObject("attributes");
    attributes.forEach(attributeNode::put);
    return node;
  }

  /** Reads a state file's JSON; {@code dir} is the folder it was found in. */
  static SupervisedProcess fromJson(JsonNode node, Path dir) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    node.path("ports").properties().forEach(e -> ports.put(e.getKey(), e.getValue().asInt()));
    Map<String, String> attributes = new LinkedHashMap<>();
    node.path("attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
    return new SupervisedProcess(ProcessKind.parse(node.path("kind").asText()), node.path("name").asText(),
        node.path("pid").asLong(), node.path("marker").asText(), dir, Path.of(node.path("log").asText()),
        node.path("address").asText(), ports, attributes);
  }
}
