package io.searchmigrate.pipelines.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedJarTest {
  @TempDir
  Path dir;

  @Test
  void jarsBecomeOneFirstNameWinsServicesJoinedSignaturesLeftOutFoldersKept() throws Exception {
    Path first = jar("first.jar", Map.of("a/Same.txt", "from first", "a/OnlyFirst.txt", "1",
        "META-INF/services/x.Registrar", "x.One\n", "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMulti-Release: true\n",
        "META-INF/SIGNER.SF", "signature", "META-INF/INDEX.LIST", "JarIndex-Version: 1.0\n"));
    Path second = jar("second.jar", Map.of("a/Same.txt", "from second", "b/OnlySecond.txt", "2",
        "META-INF/services/x.Registrar", "x.Two"));
    Path folder = Files.createDirectories(dir.resolve("classes"));
    Path staging = dir.resolve("staging");

    List<String> staged = StagedJar.merging(List.of(first.toString(), folder.toString(), second.toString()), staging);

    assertEquals(2, staged.size());
    assertEquals(folder.toString(), staged.get(1), "a folder stays an entry of its own (Beam zips it)");
    Path merged = Path.of(staged.get(0));
    try (JarFile jar = new JarFile(merged.toFile())) {
      assertEquals(List.of("META-INF/MANIFEST.MF", "META-INF/services/x.Registrar", "a/OnlyFirst.txt", "a/Same.txt",
          "b/OnlySecond.txt"), Collections.list(jar.entries()).stream().map(ZipEntry::getName).sorted().toList());
      assertEquals("true", jar.getManifest().getMainAttributes().getValue("Multi-Release"));
      assertNull(jar.getEntry("META-INF/SIGNER.SF"));
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {merged.toUri().toURL()}, null)) {
      assertEquals("from first", read(loader, "a/Same.txt"), "the first jar on the class path wins, as it would there");
      assertEquals("x.One\n\nx.Two\n", read(loader, "META-INF/services/x.Registrar"));
    }

    List<String> again = StagedJar.merging(List.of(first.toString(), folder.toString(), second.toString()), staging);
    assertEquals(staged, again, "the same class path is not merged again");
    try (Stream<Path> files = Files.list(staging)) {
      assertEquals(List.of(merged), files.toList(), "only the merged jar is kept there, no partial file");
    }
    Files.setLastModifiedTime(merged, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    Path other = Path.of(StagedJar.merging(List.of(second.toString(), first.toString()), staging).get(0));
    try (Stream<Path> files = Files.list(staging)) {
      assertEquals(List.of(other), files.toList(), "another class path's jar replaces an old one");
    }
  }

  @Test
  void aClassPathWithFewerThanTwoJarsIsStagedAsItIs() throws Exception {
    List<String> classPath = List.of(jar("only.jar", Map.of("x.txt", "x")).toString(), dir.toString());
    assertSame(classPath, StagedJar.merging(classPath, dir.resolve("staging")));
    assertTrue(Files.notExists(dir.resolve("staging")));
  }

  private Path jar(String name, Map<String, String> entries) throws IOException {
    Path path = dir.resolve(name);
    try (OutputStream file = Files.newOutputStream(path); ZipOutputStream zip = new ZipOutputStream(file)) {
      for (Map.Entry<String, String> entry : new LinkedHashMap<>(entries).entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return path;
  }

  private static String read(ClassLoader loader, String resource) throws IOException {
    try (var in = loader.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
