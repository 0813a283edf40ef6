package io.searchmigrate.launcher;

import io.searchmigrate.common.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the modules that the OpenSearch integration-test zip lacks (analysis-common, mapper-extras,
 * parent-join, reindex, lang-painless, ingest-common), assembled from their jars on Maven Central: no
 * module zips are published there (REAL-CLUSTERS.md §3).
 */
final class OpenSearchModules {
  /** One module: its folder name, plugin class, the module it extends, and the jars it needs. */
  private static final class Module {
    final String name;
    final String classname;
    final String extendedPlugins;
    final List<String> jars;
    final String securityPolicy;

    Module(String name, String classname, String extendedPlugins, String securityPolicy, String... jars) {
      this.name = name;
      this.classname = classname;
      this.extendedPlugins = extendedPlugins;
      this.securityPolicy = securityPolicy;
      this.jars = List.of(jars);
    }
  }

  private OpenSearchModules() {}

  /** The module table for OpenSearch 2.19.x; "@" stands for the OpenSearch version. */
  private static List<Module> modules() {
    return List.of(
        new Module("lang-painless", "org.opensearch.painless.PainlessPlugin", "",
            "grant {\n  permission java.lang.RuntimePermission \"createClassLoader\";\n  permission java.lang.RuntimePermission \"getClassLoader\";\n};\n",
            "org.opensearch.plugin:lang-painless:@", "org.opensearch.plugin:opensearch-scripting-painless-spi:@",
            "org.antlr:antlr4-runtime:4.13.1", "org.ow2.asm:asm:9.7", "org.ow2.asm:asm-util:9.7", "org.ow2.asm:asm-tree:9.7",
            "org.ow2.asm:asm-commons:9.7", "org.ow2.asm:asm-analysis:9.7"),
        new Module("analysis-common", "org.opensearch.analysis.common.CommonAnalysisPlugin", "lang-painless", null,
            "org.opensearch.plugin:analysis-common:@"),
        new Module("mapper-extras", "org.opensearch.index.mapper.MapperExtrasPlugin", "", null,
            "org.opensearch.plugin:mapper-extras-client:@"),
        new Module("parent-join", "org.opensearch.join.ParentJoinPlugin", "", null,
            "org.opensearch.plugin:parent-join-client:@"),
        new Module("reindex", "org.opensearch.index.reindex.ReindexPlugin", "",
            "grant {\n  permission java.net.SocketPermission \"*\", \"connect\";\n};\n",
            "org.opensearch.plugin:reindex-client:@", "org.opensearch.client:opensearch-rest-client:@",
            "org.opensearch:opensearch-ssl-config:@", "org.apache.httpcomponents:httpclient:4.5.14",
            "org.apache.httpcomponents:httpcore:4.4.16", "org.apache.httpcomponents:httpcore-nio:4.4.16",
            "org.apache.httpcomponents:httpasyncclient:4.1.5", "commons-codec:commons-codec:1.16.1",
            "commons-logging:commons-logging:1.2"),
        new Module("ingest-common", "org.opensearch.ingest.common.IngestCommonPlugin", "lang-painless", null,
            "org.opensearch.plugin:ingest-common:@", "org.opensearch:opensearch-grok:@", "org.opensearch:opensearch-dissect:@",
            "org.jruby.jcodings:jcodings:1.0.61", "org.jruby.joni:joni:2.2.1"));
  }

  static List<String> names() {
    List<String> names = new ArrayList<>();
    modules().forEach(m -> names.add(m.name));
    return names;
  }

  static void install(Path distributionHome, String version, MavenCentral maven) {
    if (!version.startsWith("2.19.")) {
      throw new UserError("extra modules are assembled for OpenSearch 2.19.x only (their jar lists differ by version); "
          + "got " + version);
    }
    for (Module module : modules()) {
      Path dir = distributionHome.resolve("modules").resolve(module.name);
      try {
        Files.createDirectories(dir);
        for (String coordinates : module.jars) {
          String[] parts = coordinates.replace("@", version).split(":");
          Path jar = maven.fetch(parts[0], parts[1], parts[2], "jar");
          Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(dir.resolve("plugin-descriptor.properties"), String.join("\n",
            "description=" + module.name + " module (assembled from Maven Central jars)",
            "version=" + version, "name=" + module.name, "classname=" + module.classname, "java.version=11",
            "opensearch.version=" + version, "extended.plugins=" + module.extendedPlugins, "has.native.controller=false", ""));
        if (module.securityPolicy != null) {
          Files.writeString(dir.resolve("plugin-security.policy"), module.securityPolicy);
        }
      } catch (IOException e) {
        throw new UserError("cannot assemble module " + module.name + " in " + dir + ": " + e.getMessage(), e);
      }
    }
  }
}
