package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nothing waits without bound for a bundle file: a named pipe (which blocks until some writer comes) or a device is
 * refused by name; a pipe the shell hands over as /dev/fd/N is read, but only for so long.
 */
class NonRegularFilesTest {
    private static final Duration NEVER_WAIT_THIS_LONG = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final List<Process> writers = new ArrayList<>();

    @AfterEach
    void stopWriters() {
        writers.forEach(Process::destroy);
    }

    @BeforeEach
    void writeMinimalBundle() throws Exception {
        Files.writeString(dir.resolve("device_id.txt"), "device-7\n");
        Files.writeString(dir.resolve("client_cert.pem"), "cert\n");
        Files.writeString(dir.resolve("client_key.pem"), "key\n");
        Files.writeString(dir.resolve("ca-chain.pem"), "ca\n");
    }

    /** A real named pipe, made by mkfifo: opening it for reading blocks until a writer opens it. */
    static Path fifo(Path path) throws IOException, InterruptedException {
        Files.deleteIfExists(path);
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is needed to make a named pipe");
        return path;
    }

    @Test
    void refusesANamedPipeInTheBundleInsteadOfWaitingForAWriter() throws Exception {
        fifo(dir.resolve("client_key.pem"));

        Failure failure = assertTimeoutPreemptively(NEVER_WAIT_THIS_LONG, () -> assertThrows(Failure.class,
                () -> CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty())));

        assertEquals(dir.resolve("client_key.pem") + " is a named pipe (FIFO), not a regular file: reading it would"
                + " wait for a writer, maybe forever; give the file itself", failure.getMessage());
    }

    @Test
    void refusesANamedPipeGivenAsTheClientKey() throws Exception {
        Path pipe = fifo(dir.resolve("elsewhere.key"));

        Failure failure = assertTimeoutPreemptively(NEVER_WAIT_THIS_LONG, () -> assertThrows(Failure.class,
                () -> CredentialBundleReader.read(BundleLocation.at(dir).withClientKeyFile(pipe), Optional.empty())));

        assertTrue(failure.getMessage().startsWith(pipe + " is a named pipe (FIFO)"), failure.getMessage());
        assertEquals(Optional.of(Failure.Input.CLIENT_KEY), failure.input());
    }

    @Test
    void refusesADeviceByWhatItIs() {
        Failure failure = assertThrows(Failure.class, () -> BundleFiles.readText(Path.of("/dev/zero"), null));
        assertTrue(failure.getMessage().startsWith("/dev/zero is a character device, not a regular file"),
                failure.getMessage());
    }

    @Test
    void readsAKeyTheShellHandsOverAsAProcessSubstitution() throws Exception {
        Path handedOver = pipeTo(new ProcessBuilder("sh", "-c", "printf 'the key\\n'; exec >&-; sleep 30"));

        assertEquals("the key\n", new String(BundleFiles.read(handedOver, null, Duration.ofSeconds(5)),
                StandardCharsets.UTF_8));
    }

    @Test
    void givesUpOnAProcessSubstitutionWhoseWriterNeverWrites() throws Exception {
        Path handedOver = pipeTo(new ProcessBuilder("sleep", "30"));

        Failure failure = assertTimeoutPreemptively(NEVER_WAIT_THIS_LONG, () -> assertThrows(Failure.class,
                () -> BundleFiles.read(handedOver, null, Duration.ofMillis(300))));

        assertEquals(handedOver + ": nothing came from it within 0.3 s (a pipe whose writer never wrote?)",
                failure.getMessage());
    }

    /**
     * What {@code <(command)} gives: the read end of the command's output pipe, as /proc/self/fd/N (found as the one
     * pipe descriptor that starting the command added to this process).
     */
    private Path pipeTo(ProcessBuilder command) throws IOException {
        Set<String> before = pipes();
        Process process = command.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        writers.add(process);
        Set<String> added = new HashSet<>(pipes());
        added.removeAll(before);
        assumeTrue(added.size() == 1, "one new pipe descriptor in /proc/self/fd, found " + added);
        return Path.of("/proc/self/fd", added.iterator().next());
    }

    private static Set<String> pipes() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "a process substitution is a Linux /proc/self/fd (or /dev/fd) path");
        Set<String> pipes = new HashSet<>();
        try (Stream<Path> list = Files.list(fds)) {
            for (Path fd : list.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("pipe:")) {
                        pipes.add(fd.getFileName().toString());
                    }
                } catch (IOException closedMeanwhile) {
                    // The listing's own descriptor, closed by now.
                }
            }
        }
        return pipes;
    }
}
