package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
            // Not compared with git rev-parse: in a linked worktree git-commit-id 9.0.2 reads the main checkout's
            // HEAD (its issue #882); clones, CI and release builds are right.
            assertTrue(commit.group(1).matches("[0-9a-f]{12}"), "a commit: " + lines.get(1));
            assertDoesNotThrow(() -> Instant.parse(commit.group(3)), "an ISO-8601 instant: " + lines.get(1));
        } else {
            assertEquals("unknown", commit.group(1), "a source tarball has no commit to name");
        }
        assertTrue(lines.get(2).startsWith("Java " + System.getProperty("java.version") + " "), lines.get(2));
    }

    private static String pomVersion() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        return pom.getDocumentElement().getElementsByTagName("version").item(0).getTextContent().strip();
    }
}
