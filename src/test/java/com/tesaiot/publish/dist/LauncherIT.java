package com.tesaiot.publish.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release's launcher script ({@code src/main/dist}, copied beside the jar by {@code mvn package}): which java it
 * runs and the start-up cache it makes and uses. An integration test: it needs the packaged jar.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("target", "tesaiot-publish").toAbsolutePath();
    /** The java running this test: a real JDK home to point JAVA_HOME or PATH at. */
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private Run launch(Map<String, String> environment, String... args) throws Exception {
        return launch(LAUNCHER, environment, args);
    }

    private Run launch(Path launcher, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().remove("JAVA_HOME");
        builder.environment().remove("JAVA_OPTS");
        builder.environment().put("TESAIOT_PUBLISH_CACHE", dir.resolve("cache").toString());
        builder.environment().putAll(environment);
        builder.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the launcher did not finish");
        return new Run(process.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    /** A directory for PATH whose only {@code java} is a script that fails: running it means PATH won. */
    private Path pathWithAWrongJava() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("wrong-bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'the java on the PATH ran' >&2\nexit 99\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static String systemPath(Path first) {
        return first + ":/usr/bin:/bin";
    }

    @Test
    void runsJavaHomesJavaBeforeThePathsAndVersionNamesIt() throws Exception {
        Run run = launch(Map.of("JAVA_HOME", JAVA_HOME.toString(), "PATH", systemPath(pathWithAWrongJava())),
                "--version");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains(" in " + JAVA_HOME.toRealPath() + ",") || run.out().contains(" in " + JAVA_HOME + ","),
                run.out());
        assertTrue(run.out().contains("started by " + JAVA_HOME + "/bin/java (from JAVA_HOME)"), run.out());
    }

    @Test
    void withoutJavaHomeRunsTheJavaOnThePath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("java"), JAVA_HOME.resolve("bin").resolve("java"));

        Run run = launch(Map.of("PATH", systemPath(bin)), "--version");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("started by " + bin.resolve("java") + " (from PATH)"), run.out());
    }

    @Test
    void theFirstRunMakesTheStartUpCacheAndTheNextOneUsesIt() throws Exception {
        Map<String, String> environment = Map.of("JAVA_HOME", JAVA_HOME.toString());
        String[] dryRun = {"--dry-run", "--once", "--device-id", "launcher-test", "--seed", "1"};

        Run first = launch(environment, dryRun);
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().startsWith("{\"device_id\":\"launcher-test\""), "the payload, alone on stdout: " + first.out());
        assertEquals(1, first.out().lines().count(), "the JVM writes nothing to stdout: " + first.out());
        List<Path> made;
        try (var files = Files.list(dir.resolve("cache"))) {
            made = files.toList();
        }
        assertEquals(1, made.size(), "one cache, nothing partial left: " + made);
        String name = made.get(0).getFileName().toString();
        assertTrue(name.endsWith(Runtime.version().feature() >= 25 ? ".aot" : ".jsa"), name);

        Run second = launch(environment, dryRun);
        assertEquals(0, second.exitCode(), second.err());
        assertEquals(withoutTimestamp(first.out()), withoutTimestamp(second.out()),
                "the same payload for the same seed, and nothing else");
        assertEquals("", second.err().lines().filter(line -> !line.contains("Dry run:")).reduce("", String::concat),
                "no JVM warning about the cache: " + second.err());
    }

    @Test
    void runsThroughASymbolicLinkElsewhere() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("home-bin"));
        Path link = Files.createSymbolicLink(bin.resolve("tesaiot-publish"), LAUNCHER);

        Run run = launch(link, Map.of("JAVA_HOME", JAVA_HOME.toString()), "--version");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("started by " + JAVA_HOME + "/bin/java (from JAVA_HOME)"), run.out());
    }

    @Test
    void theNextCommandsABundlePrintsNameTheLauncherAsItWasRun() throws Exception {
        Run typed = launch(Map.of("JAVA_HOME", JAVA_HOME.toString()), "bundle", "create", "--out",
                dir.resolve("typed").toString(), "-i", "launcher-next", "-p", "18999");

        assertEquals(0, typed.exitCode(), typed.err());
        assertTrue(typed.out().contains("  " + LAUNCHER + " check"), typed.out());
        assertFalse(typed.out().contains("java -jar"), typed.out());

        Path bin = Files.createDirectories(dir.resolve("on-path"));
        Path onPath = Files.createSymbolicLink(bin.resolve("tesaiot-publish"), LAUNCHER);
        Run fromPath = launch(onPath, Map.of("JAVA_HOME", JAVA_HOME.toString(), "PATH", systemPath(bin)), "bundle",
                "create", "--out", dir.resolve("from-path").toString(), "-i", "launcher-next", "-p", "18999");

        assertEquals(0, fromPath.exitCode(), fromPath.err());
        assertTrue(fromPath.out().contains("  tesaiot-publish check"), fromPath.out());
    }

    @Test
    void aHelpOrVersionRunMakesNoCache() throws Exception {
        Run run = launch(Map.of("JAVA_HOME", JAVA_HOME.toString()), "--version");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("no "), run.out());
        assertTrue(!Files.exists(dir.resolve("cache")) || isEmpty(dir.resolve("cache")), "no cache from --version");
    }

    private static String withoutTimestamp(String payload) {
        return payload.replaceAll("\"timestamp\":\"[^\"]*\"", "");
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.findAny().isEmpty();
        }
    }
}
