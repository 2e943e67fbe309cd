package com.tesaiot.publish.bundle;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KeyFilePermissionsTest {
    @TempDir
    Path dir;
    private Path key;

    @BeforeEach
    void groupReadableKey() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        key = Files.writeString(dir.resolve("client_key.pem"), "not a real key\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    }

    private String mode() throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(key));
    }

    @Test
    void tightensAKeyInTheBundleAndSaysSo() throws Exception {
        Optional<String> said = KeyFilePermissions.tighten(key, true);

        assertEquals("rw-------", mode());
        assertTrue(said.orElseThrow().contains("was readable by others (rw-r-----): changed to rw-------"), said.get());
    }

    @Test
    void onlyWarnsAboutAKeyKeptElsewhere() throws Exception {
        Optional<String> said = KeyFilePermissions.tighten(key, false);

        assertEquals("rw-r-----", mode(), "a shared key directory may be group-readable on purpose");
        assertTrue(said.orElseThrow().contains("consider chmod go-rwx"), said.get());
    }

    @Test
    void saysNothingAboutAnOwnerOnlyKey() throws Exception {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        assertEquals(Optional.empty(), KeyFilePermissions.tighten(key, true));
    }
}
