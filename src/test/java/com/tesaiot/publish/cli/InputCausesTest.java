package com.tesaiot.publish.cli;

import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Bad input named for what it is: the exit code of its kind, the value and its fault in the line, no one else's flag. */
class InputCausesTest {
    @TempDir
    static Path shared;
    private static Path bundle;

    @TempDir
    Path dir;

    @BeforeAll
    static void validBundle() throws IOException {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        bundle = shared.resolve("bundle");
        DeviceBundleWriter.write(bundle, DeviceBundle.of("device-1", pki.issueClient("device-1", KeyType.EC),
                pki.caChain(), "127.0.0.1", 8883));
    }

    @Test
    void aDeviceIdWithASlashIsAUsageErrorNamingTheIdAndTheCharacter() {
        ToolRun.run("--certs-dir", bundle.toString(), "--device-id", "a/b", "--once")
                .assertFailsWithOneLine(2, "the device id 'a/b' holds '/', which would split its topic level");
    }

    @Test
    void aSpaceInADeviceIdIsCalledASpace() {
        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--device-id", "a b", "--once");
        run.assertFailsWithOneLine(2, "the device id holds a space at position 2");
        assertFalse(run.err().contains("invisible"), run.err());
    }

    @Test
    void anInvalidAddressForBundleCreateIsAUsageError() {
        ToolRun.run("bundle", "create", "--host", "256.1.1.1", "--out", dir.resolve("b").toString())
                .assertFailsWithOneLine(2, "--host '256.1.1.1' is not a host name or IP address");
        assertFalse(Files.exists(dir.resolve("b")));
    }

    @Test
    void anOverlongTopicIsRefusedInOurWordsShownByItsStartAndLength() {
        String topic = "device/device-1/" + "t".repeat(70_000);

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--topic", topic, "--once");

        run.assertFailsWithOneLine(2, "...' (70016 characters) cannot be published to: it is 70016 bytes long in UTF-8,"
                + " and MQTT allows at most 65535");
        assertTrue(run.errorLine().length() < 300, run.errorLine().length() + " characters");
        assertFalse(run.err().contains("Invalid topic length"), run.err());
    }

    @Test
    void importNamesItsSourceNotTheCertsDirOfARun() {
        ToolRun run = ToolRun.run("bundle", "import", dir.resolve("nowhere.zip").toString(), "--out",
                dir.resolve("out").toString());

        run.assertFailsWithOneLine(3, "not found (give SOURCE: the bundle's folder, or the .zip downloaded from the platform)");
        assertFalse(run.err().contains("--certs-dir") || run.err().contains("CERTS_DIR"), run.err());
    }

    @Test
    void importStagesInsideAnExistingDestinationWhoseParentIsReadOnlyAndOtherwiseNamesTheDisksReason()
            throws Exception {
        Path parent = dir.resolve("volume");
        Path out = parent.resolve("certs");
        mountTmpfs(parent);
        try {
            Files.createDirectories(out);
            mountTmpfs(out);
            try {
                assumeTrue(run("mount", "-o", "remount,ro", parent.toString()) == 0, "remounting read-only failed here");

                ToolRun imported = ToolRun.run("bundle", "import", bundle.toString(), "--out", out.toString());
                assertEquals(0, imported.exitCode(), imported.err());
                assertEquals("device-1\n", Files.readString(out.resolve("device_id.txt")));
                try (var left = Files.list(out)) {
                    assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no staging folder left");
                }

                ToolRun refused = ToolRun.run("bundle", "import", bundle.toString(), "--out", parent.resolve("new").toString());
                refused.assertFailsWithOneLine(74, ": read-only file system");
            } finally {
                run("umount", "-l", out.toString());
            }
        } finally {
            run("umount", "-l", parent.toString());
        }
    }

    /** A tmpfs of our own, for a read-only parent with a writable destination inside it; root on Linux only. */
    private static void mountTmpfs(Path at) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")) && System.getProperty("os.name").contains("Linux"),
                "a read-only parent is a tmpfs remounted read-only, which needs root on Linux");
        Files.createDirectories(at);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", at.toString()) == 0,
                "mount -t tmpfs failed here (a container without CAP_SYS_ADMIN?)");
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
