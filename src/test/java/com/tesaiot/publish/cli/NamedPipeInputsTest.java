package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A named pipe where a bundle or one of its files belongs: one line at once, in every command, never a hang. */
class NamedPipeInputsTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Path fifo(String name) throws IOException, InterruptedException {
        Path path = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is needed to make a named pipe");
        return path;
    }

    @Test
    void aNamedPipeAsTheBundleIsRefusedWithOneLineByPublishAndCheck() throws Exception {
        String pipe = fifo("bundle.zip").toString();
        String expected = pipe + " is a named pipe (FIFO), neither a folder nor a zip file";

        assertTimeoutPreemptively(AT_ONCE, () -> ToolRun.run("--certs-dir", pipe, "--once")
                .assertFailsWithOneLine(3, expected));
        assertChecklistFails(assertTimeoutPreemptively(AT_ONCE, () -> ToolRun.run("check", "--certs-dir", pipe)), expected);
        assertTimeoutPreemptively(AT_ONCE, () -> ToolRun.run("bundle", "import", pipe, "--out", dir.resolve("out").toString())
                .assertFailsWithOneLine(3, expected));
    }

    @Test
    void aNamedPipeAsTheBundlesKeyFileIsRefusedWithOneLineByPublishAndCheck() throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.writeString(bundle.resolve("device_id.txt"), "device-7\n");
        Files.writeString(bundle.resolve("client_cert.pem"), "cert\n");
        Files.writeString(bundle.resolve("ca-chain.pem"), "ca\n");
        String key = fifo("bundle/client_key.pem").toString();
        String expected = key + " is a named pipe (FIFO), not a regular file";

        assertTimeoutPreemptively(AT_ONCE, () -> ToolRun.run("--certs-dir", bundle.toString(), "--once")
                .assertFailsWithOneLine(3, expected));
        assertChecklistFails(assertTimeoutPreemptively(AT_ONCE,
                () -> ToolRun.run("check", "--certs-dir", bundle.toString())), expected);
    }

    /** check prints its checklist on stdout: the bundle step fails with the one line. */
    private static void assertChecklistFails(ToolRun check, String expected) {
        assertEquals(3, check.exitCode(), check.out() + check.err());
        assertTrue(check.out().lines().anyMatch(l -> l.startsWith("✗ bundle") && l.contains(expected)), check.out());
    }
}
