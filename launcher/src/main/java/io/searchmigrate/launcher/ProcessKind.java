package io.searchmigrate.launcher;

/**
 * The kinds of background process the launcher runs. Each kind keeps its processes under
 * {@code <home>/<folder>/<name>/}, and names itself and its stop command in messages.
 */
public enum ProcessKind {
  CLUSTER("cluster", "clusters", "cluster", "./migrate clusters stop --name "),
  KAFKA("kafka", "kafka", "Kafka broker", "./migrate kafka stop-local --name "),
  PROXY("proxy", "proxies", "proxy", "./migrate proxy stop --name "),
  /** A Flink session cluster's JobManager (named after the cluster) and TaskManagers ({@code <cluster>-taskmanager-<n>}). */
  FLINK("flink", "flink", "Flink session cluster", "./migrate flink stop-local --name "),
  /** A local S3 API server (s3proxy) over a folder of this machine. */
  S3("s3", "s3", "S3 server", "./migrate s3 stop-local --name "),
  /** A replay of captured traffic running in the background ({@code ./migrate replay start}). */
  REPLAY("replay", "replays", "replay", "./migrate replay stop --name ");

  private final String id;
  private final String folder;
  private final String noun;
  private final String stopCommandPrefix;

  ProcessKind(String id, String folder, String noun, String stopCommandPrefix) {
    this.id = id;
    this.folder = folder;
    this.noun = noun;
    this.stopCommandPrefix = stopCommandPrefix;
  }

  /** How the state file names this kind. */
  public String id() {
    return id;
  }

  /** The folder under the launcher home that holds one folder per process of this kind. */
  public String folder() {
    return folder;
  }

  /** What messages call a process of this kind ("Kafka broker"). */
  public String noun() {
    return noun;
  }

  /** The command a user runs to stop the process named {@code name}. */
  public String stopCommand(String name) {
    return stopCommandPrefix + name;
  }

  static ProcessKind parse(String id) {
    for (ProcessKind kind : values()) {
      if (kind.id.equals(id)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown process kind '" + id + "'");
  }
}
