package io.searchmigrate.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files holding documents or settings are the owner's alone; KEY=VALUE options read secrets from elsewhere. */
class OwnerOnlyFilesTest {
  @TempDir
  Path temp;

  @Test
  void newFilesAndFoldersAreOwnerOnlyAndExistingOnesAreNarrowed() throws Exception {
    Path report = temp.resolve("reports/assessment.json");
    OwnerOnlyFiles.writeString(report, "{}");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(report)));
    assertEquals("{}", Files.readString(report));

    Path shared = temp.resolve("was-world-readable.ndjson");
    Files.writeString(shared, "old\n");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
    try (OutputStream out = OwnerOnlyFiles.newOutputStream(shared, StandardOpenOption.APPEND)) {
      out.write("new\n".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    assertEquals("old\nnew\n", Files.readString(shared));

    OwnerOnlyFiles.writeString(shared, "replaced");
    assertEquals("replaced", Files.readString(shared));

    Path dir = OwnerOnlyFiles.createDirectory(temp.resolve("a/dead-letters"));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
  }

  @Test
  void keyValueOptionsReadEnvAndFileValuesAndNeverShowAValueInErrors() throws Exception {
    Path file = temp.resolve("sasl");
    Files.writeString(file, "hunter2\n");
    Map<String, String> parsed = KeyValueOptions.parse("--kafka-property",
        List.of("security.protocol=SASL_SSL", "sasl.password=file:" + file, "a=b=c"));
    assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.password", "hunter2", "a", "b=c"), parsed);
    assertEquals("--kafka-property 'ssl.key.password' should be KEY=VALUE (a VALUE of env:NAME or file:PATH reads it from an "
        + "environment variable or a file)",
        assertThrows(UserError.class, () -> KeyValueOptions.parse("--kafka-property", List.of("ssl.key.password"))).getMessage());
    assertEquals("--kafka-property ssl.keystore.password: environment variable NO_SUCH_VARIABLE_X2 is not set; export it with "
        + "the password, or use a password file", assertThrows(UserError.class, () -> KeyValueOptions.parse("--kafka-property",
            List.of("ssl.keystore.password=env:NO_SUCH_VARIABLE_X2"))).getMessage());
  }
}
