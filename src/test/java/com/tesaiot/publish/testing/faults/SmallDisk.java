package com.tesaiot.publish.testing.faults;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A tiny tmpfs mounted for one test, to fill a disk for real. Only root on Linux can mount one: elsewhere the
 * test is skipped, and says why.
 */
public final class SmallDisk implements AutoCloseable {
    private final Path root;

    private SmallDisk(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code size} (e.g. "64k") at {@code mountPoint}, or skips the test. */
    public static SmallDisk mount(Path mountPoint, String size) throws IOException, InterruptedException {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"),
                "a full disk is simulated with tmpfs, which needs Linux");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "a full disk is simulated by mounting a tmpfs, which needs root");
        Files.createDirectories(mountPoint);
        int exit = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(exit == 0, "mount -t tmpfs failed here (a container without CAP_SYS_ADMIN?)");
        return new SmallDisk(mountPoint);
    }

    public Path root() {
        return root;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", root.toString());
    }
}
