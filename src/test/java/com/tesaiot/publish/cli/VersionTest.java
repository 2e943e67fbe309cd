package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.ToolRun;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --version}: what a bug report needs, written at build time. */
class VersionTest {

    @Test
    void namesThePomsVersionTheCommitItWasBuiltFromItsDateAndTheJavaRuntime() throws Exception {
        ToolRun run = ToolRun.run("--version");

        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.outLines();
        assertEquals("tesaiot-publish " + pomVersion(), lines.get(0));
        Matcher commit = Pattern.compile("commit (\\S+)( with uncommitted changes)?, built (\\S+)").matcher(lines.get(1));
        assertTrue(commit.matches(), lines.get(1));
        if (Files.exists(Path.of(".git"))) {
            assertEquals(git("rev-parse", "--short=12", "HEAD"), commit.group(1));
            assertEquals(OffsetDateTime.parse(git("show", "-s", "--format=%cI", "HEAD")).toInstant(),
                    Instant.parse(commit.group(3)), "the build date is the commit's");
        } else {
            assertEquals("unknown", commit.group(1), "a source tarball has no commit to name");
        }
        assertTrue(lines.get(2).startsWith("Java " + System.getProperty("java.version") + " "), lines.get(2));
    }

    private static String pomVersion() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        return pom.getDocumentElement().getElementsByTagName("version").item(0).getTextContent().strip();
    }

    private static String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, git.waitFor(), out);
        return out;
    }
}
