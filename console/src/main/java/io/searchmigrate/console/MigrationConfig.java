package io.searchmigrate.console;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.snapshot.s3.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code migration.yaml}: what a team would otherwise type into every command (clusters, snapshot, Kafka, proxy,
 * Flink, folders), merged with {@code MIGRATE_*} environment variables, which win over the file. Flags win over both
 * (see {@link ConfigDefaults}). Secrets are never in it: a password is named by the environment variable or the file
 * holding it.
 *
 * <pre>{@code
 * MigrationConfig config = MigrationConfig.find(null, System.getenv(), Path.of(""));
 * String source = config.get("source.endpoint");              // MIGRATE_SOURCE_ENDPOINT, else the file, else null
 * config.origin("source.endpoint");                           // "migration.yaml line 3" or "env MIGRATE_SOURCE_ENDPOINT"
 * }</pre>
 */
final class MigrationConfig {
  /** The file looked for in the working directory. */
  static final String FILE_NAME = "migration.yaml";
  /** Names the file when --config is not given. */
  static final String CONFIG_ENV = "MIGRATE_CONFIG";

  enum Kind { TEXT, URL, PATH, REPOSITORY, BOOLEAN, CHOICE }

  /** One key of the file, in the order {@code config show} prints them. */
  record Key(String name, Kind kind, List<String> choices) {
    String envName() {
      return "MIGRATE_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
    }
  }

  /** A value with where it came from: a line of the file, or an environment variable (line 0). */
  record Value(String text, String origin, int line, int column) {}

  static final List<Key> KEYS;

  static {
    List<Key> keys = new ArrayList<>();
    for (String role : List.of("source", "target")) {
      keys.add(new Key(role + ".endpoint", Kind.URL, List.of()));
      keys.add(new Key(role + ".version", Kind.TEXT, List.of()));
      keys.add(new Key(role + ".auth", Kind.CHOICE, List.of("none", "basic", "sigv4")));
      keys.add(new Key(role + ".user", Kind.TEXT, List.of()));
      keys.add(new Key(role + ".password_env", Kind.TEXT, List.of()));
      keys.add(new Key(role + ".password_file", Kind.PATH, List.of()));
      keys.add(new Key(role + ".region", Kind.TEXT, List.of()));
      keys.add(new Key(role + ".service", Kind.CHOICE, List.of("es", "aoss")));
      keys.add(new Key(role + ".ca_cert", Kind.PATH, List.of()));
      keys.add(new Key(role + ".insecure", Kind.BOOLEAN, List.of()));
    }
    keys.add(new Key("snapshot.repository", Kind.REPOSITORY, List.of()));
    keys.add(new Key("snapshot.name", Kind.TEXT, List.of()));
    keys.add(new Key("snapshot.s3.region", Kind.TEXT, List.of()));
    keys.add(new Key("snapshot.s3.endpoint", Kind.URL, List.of()));
    keys.add(new Key("kafka.bootstrap", Kind.TEXT, List.of()));
    keys.add(new Key("kafka.topic", Kind.TEXT, List.of()));
    keys.add(new Key("proxy.listen", Kind.TEXT, List.of()));
    keys.add(new Key("proxy.admin", Kind.TEXT, List.of()));
    keys.add(new Key("flink.master", Kind.TEXT, List.of()));
    keys.add(new Key("state_dir", Kind.PATH, List.of()));
    keys.add(new Key("reports_dir", Kind.PATH, List.of()));
    KEYS = List.copyOf(keys);
  }

  private static final Map<String, Key> BY_NAME = KEYS.stream()
      .collect(Collectors.toMap(Key::name, k -> k, (a, b) -> a, LinkedHashMap::new));

  private final Path file;
  private final Map<String, Value> fromFile;
  private final Map<String, Value> fromEnv;
  private final Map<String, String> env;

  private MigrationConfig(Path file, Map<String, Value> fromFile, Map<String, String> env) {
    this.file = file;
    this.fromFile = fromFile;
    this.fromEnv = environment(env);
    this.env = env;
  }

  /**
   * The configuration in effect: {@code explicit} (--config), else the file {@code MIGRATE_CONFIG} names, else
   * {@code migration.yaml} in {@code workingDir} if there is one; then the {@code MIGRATE_*} variables of {@code env}.
   */
  static MigrationConfig find(Path explicit, Map<String, String> env, Path workingDir) {
    Path file = explicit;
    if (file == null && env.get(CONFIG_ENV) != null && !env.get(CONFIG_ENV).isBlank()) {
      file = Path.of(env.get(CONFIG_ENV));
    }
    boolean named = file != null;
    if (file == null) {
      file = workingDir.resolve(FILE_NAME);
    }
    Map<String, Value> values = Map.of();
    if (named || Files.isRegularFile(file)) {
      String text;
      try {
        text = Files.readString(file);
      } catch (NoSuchFileException e) {
        throw new UserError("configuration file " + file + " (" + (explicit != null ? "--config" : CONFIG_ENV)
            + ") does not exist; write one with: ./migrate config init --config " + file);
      } catch (IOException e) {
        throw new UserError("cannot read configuration file " + file + ": " + e.getMessage());
      }
      values = parse(text, file.toString(), file.toAbsolutePath().getParent());
    } else {
      file = null;
    }
    return new MigrationConfig(file, values, env);
  }

  /** No file and no environment: every flag keeps its own default. */
  static MigrationConfig none() {
    return new MigrationConfig(null, Map.of(), Map.of());
  }

  /** Whether the environment the configuration was read with sets this variable (a password's, say). */
  boolean hasVariable(String name) {
    String value = env.get(name);
    return value != null && !value.isEmpty();
  }

  /** The file that was read, or null when none was. */
  Path file() {
    return file;
  }

  /** The value in effect: the environment's, else the file's, else null. */
  String get(String key) {
    return value(key).map(Value::text).orElse(null);
  }

  Optional<Value> value(String key) {
    if (!BY_NAME.containsKey(key)) {
      throw new IllegalArgumentException("not a configuration key: " + key);
    }
    Value value = fromEnv.get(key);
    return Optional.ofNullable(value != null ? value : fromFile.get(key));
  }

  /** Where the value in effect comes from, or null. */
  String origin(String key) {
    return value(key).map(Value::origin).orElse(null);
  }

  /**
   * What does not fit together once the file and the environment are merged (a user with SigV4, basic auth without a
   * user, a user without a password source, a version that is not one, ...), each naming where the value came from.
   */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (String role : List.of("source", "target")) {
      String auth = get(role + ".auth");
      String user = get(role + ".user");
      boolean passwordEnv = get(role + ".password_env") != null;
      boolean passwordFile = get(role + ".password_file") != null;
      if ("sigv4".equals(auth) && user != null) {
        problems.add(at(role + ".user") + " goes with basic auth, but " + role + ".auth is sigv4 (AWS credentials from the "
            + "default chain); keep one of them");
      }
      if ("none".equals(auth) && user != null) {
        problems.add(at(role + ".user") + " is set but " + role + ".auth is none; use auth: basic or remove the user");
      }
      if ("basic".equals(auth) && user == null) {
        problems.add(at(role + ".auth") + " is basic but no " + role + ".user is given; add user: NAME and password_env: VAR "
            + "(or password_file: PATH)");
      }
      if (user != null && !passwordEnv && !passwordFile && !"sigv4".equals(auth)) {
        problems.add(at(role + ".user") + " has no password source; add password_env: VAR (an environment variable "
            + "holding it) or password_file: PATH");
      }
      if (passwordEnv && passwordFile) {
        problems.add(at(role + ".password_file") + " and " + role + ".password_env are both given; keep one");
      }
      if (user == null && (passwordEnv || passwordFile)) {
        problems.add(at(role + (passwordEnv ? ".password_env" : ".password_file")) + " is given without " + role
            + ".user; add user: NAME");
      }
      for (String sigv4Only : List.of(".region", ".service")) {
        if (get(role + sigv4Only) != null && !"sigv4".equals(auth)) {
          problems.add(at(role + sigv4Only) + " goes with auth: sigv4");
        }
      }
      if (get(role + ".version") != null) {
        try {
          ClusterVersion.parse(get(role + ".version"));
        } catch (UserError e) {
          problems.add(at(role + ".version") + ": " + e.getMessage());
        }
      }
    }
    String repository = get("snapshot.repository");
    if (repository != null && S3Uri.isS3(repository)) {
      try {
        S3Uri.parse(repository, "snapshot.repository");
      } catch (UserError e) {
        problems.add(at("snapshot.repository") + ": " + e.getMessage());
      }
    } else if (get("snapshot.s3.region") != null || get("snapshot.s3.endpoint") != null) {
      problems.add(at(get("snapshot.s3.region") != null ? "snapshot.s3.region" : "snapshot.s3.endpoint")
          + " goes with an s3:// snapshot.repository");
    }
    return problems;
  }

  /** "migration.yaml line 4, column 9: 'source.user'" or "env MIGRATE_SOURCE_USER: 'source.user'". */
  private String at(String key) {
    Value value = value(key).orElseThrow();
    return value.origin() + (value.line() > 0 ? ", column " + value.column() : "") + ": '" + key + "'";
  }

  /** Values from {@code MIGRATE_<KEY>} variables (dots as underscores), checked as the file's are. */
  private static Map<String, Value> environment(Map<String, String> env) {
    Map<String, Value> values = new LinkedHashMap<>();
    for (Key key : KEYS) {
      String text = env.get(key.envName());
      if (text == null || text.isEmpty()) {
        continue;
      }
      String where = "environment variable " + key.envName();
      values.put(key.name(), new Value(checked(key, text, where, null), "env " + key.envName(), 0, 0));
    }
    return values;
  }

  /** Parses the text of a configuration file; {@code name} is how errors name it, relative paths are from {@code baseDir}. */
  static Map<String, Value> parse(String text, String name, Path baseDir) {
    Map<String, Value> values = new LinkedHashMap<>();
    try (JsonParser parser = Json.yamlParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null || first == JsonToken.VALUE_NULL) {
        return values; // an empty file, or one with comments only
      }
      if (first != JsonToken.START_OBJECT) {
        throw error(name, parser.currentTokenLocation(), "expected keys (source:, target:, snapshot:, ...), found "
            + describe(first));
      }
      readObject(parser, "", name, baseDir, values);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new UserError(name + (at == null ? "" : " line " + at.getLineNr() + ", column " + at.getColumnNr())
          + ": not valid YAML: " + firstLines(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UserError("cannot read " + name + ": " + e.getMessage());
    }
    return values;
  }

  private static void readObject(JsonParser parser, String prefix, String name, Path baseDir, Map<String, Value> values)
      throws IOException {
    List<String> seen = new ArrayList<>();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
      JsonLocation at = parser.currentTokenLocation();
      String field = parser.currentName();
      String key = prefix + field;
      if (seen.contains(field)) {
        throw error(name, at, "'" + key + "' is given twice; keep one");
      }
      seen.add(field);
      JsonToken value = parser.nextToken();
      if (field.toLowerCase(Locale.ROOT).contains("password") && !field.endsWith("_env") && !field.endsWith("_file")) {
        throw error(name, at, "'" + key + "': a password is never written in " + FILE_NAME + " (anyone who reads the file "
            + "or its copies would have it). Put it in an environment variable and name it: " + prefix
            + "password_env: VAR, or in a file only you can read: " + prefix + "password_file: PATH");
      }
      Key known = BY_NAME.get(key);
      boolean isSection = KEYS.stream().anyMatch(k -> k.name().startsWith(key + "."));
      if (known == null && !isSection) {
        throw error(name, at, "unknown key '" + key + "'; " + expected(prefix));
      }
      if (isSection) {
        if (value == JsonToken.VALUE_NULL) {
          continue; // "kafka:" with nothing under it
        }
        if (value != JsonToken.START_OBJECT) {
          throw error(name, parser.currentTokenLocation(), "'" + key + "' holds keys (" + expected(key + ".")
              + "), found " + describe(value));
        }
        readObject(parser, key + ".", name, baseDir, values);
        continue;
      }
      JsonLocation valueAt = parser.currentTokenLocation();
      if (value == JsonToken.VALUE_NULL) {
        continue; // "user:" left empty: not set
      }
      if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
        throw error(name, valueAt, "'" + key + "' expects " + expectation(known) + ", found " + describe(value));
      }
      if (known.kind() == Kind.BOOLEAN && !value.isBoolean()) {
        throw error(name, valueAt, "'" + key + "' expects true or false, found " + describe(value) + " '" + parser.getText() + "'");
      }
      if (known.kind() != Kind.BOOLEAN && value.isBoolean()) {
        throw error(name, valueAt, "'" + key + "' expects " + expectation(known) + ", found " + parser.getText()
            + (known.kind() == Kind.CHOICE ? "" : " (quote it if it is meant as text)"));
      }
      String where = name + " line " + valueAt.getLineNr() + ", column " + valueAt.getColumnNr();
      String text = checked(known, parser.getText(), where, baseDir);
      values.put(key, new Value(text, name + " line " + valueAt.getLineNr(), valueAt.getLineNr(), valueAt.getColumnNr()));
    }
  }

  /** The value once checked against its key's kind; paths from a file are made absolute against its folder. */
  private static String checked(Key key, String text, String where, Path baseDir) {
    switch (key.kind()) {
      case BOOLEAN -> {
        if (!text.equals("true") && !text.equals("false")) {
          throw new UserError(where + ": '" + key.name() + "' expects true or false, found '" + text + "'");
        }
      }
      case CHOICE -> {
        if (!key.choices().contains(text.toLowerCase(Locale.ROOT))) {
          throw new UserError(where + ": '" + key.name() + "' expects " + expectation(key) + ", found '" + text + "'");
        }
        return text.toLowerCase(Locale.ROOT);
      }
      case URL -> {
        if (!text.startsWith("http://") && !text.startsWith("https://")) {
          throw new UserError(where + ": '" + key.name() + "' expects " + expectation(key) + ", found '" + text + "'");
        }
      }
      case PATH -> {
        return baseDir == null ? text : baseDir.resolve(text).normalize().toString();
      }
      case REPOSITORY -> {
        return text.startsWith("s3://") || baseDir == null ? text : baseDir.resolve(text).normalize().toString();
      }
      default -> { }
    }
    return text;
  }

  private static String expectation(Key key) {
    return switch (key.kind()) {
      case BOOLEAN -> "true or false";
      case CHOICE -> "one of " + String.join(", ", key.choices());
      case URL -> "an http:// or https:// URL";
      case PATH -> "a file or folder path";
      case REPOSITORY -> "a folder path or s3://bucket/prefix";
      case TEXT -> "a text value";
    };
  }

  private static String expected(String prefix) {
    List<String> here = new ArrayList<>();
    for (Key key : KEYS) {
      if (key.name().startsWith(prefix)) {
        String rest = key.name().substring(prefix.length());
        String first = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        if (!here.contains(first)) {
          here.add(first);
        }
      }
    }
    return "known keys" + (prefix.isEmpty() ? "" : " under '" + prefix.substring(0, prefix.length() - 1) + "'") + ": "
        + String.join(", ", here);
  }

  /** The YAML parser's own words without the excerpts of the file it adds (they span several lines). */
  private static String firstLines(String message) {
    return message.lines().filter(l -> !l.isBlank() && !l.startsWith(" ")).collect(Collectors.joining("; "));
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "a set of keys";
      case START_ARRAY -> "a list";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_STRING -> "a text value";
      default -> token.toString();
    };
  }

  private static UserError error(String name, JsonLocation at, String message) {
    return new UserError(name + " line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + message);
  }
}
