package com.tesaiot.publish.testing.tool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine's {@code openssl} command, for tests that check our files against it: its exit code and output. */
public record Openssl(int exitCode, String output) {

    /** Whether an {@code openssl} command is on the PATH (tests that need it are skipped where it is not). */
    public static boolean installed() {
        try {
            return run(Path.of("."), List.of("version")).exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs {@code openssl arguments...} in {@code workingDirectory}, standard error merged into the output. */
    public static Openssl run(Path workingDirectory, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            return new Openssl(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
