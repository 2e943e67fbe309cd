package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Subcommands are built only when named, and every one is still reachable. */
class SubcommandsTest {

    private static Set<String> registeredFor(String... args) {
        CommandLine root = new CommandLine(new PublishCommand());
        Subcommands.register(root, args);
        return root.getSubcommands().keySet();
    }

    @Test
    void aPublishRunBuildsNoSubcommand() {
        assertEquals(Set.of(), registeredFor("--certs-dir", "bundle-dir", "--once", "--interval", "0"));
    }

    @Test
    void aSubcommandRunBuildsOnlyThatSubcommand() {
        assertEquals(Set.of("fleet"), registeredFor("fleet", "--bundles", "devices", "--count", "3"));
    }

    @Test
    void helpAndTheCompletionScriptBuildTheWholeTree() {
        assertEquals(Set.copyOf(Subcommands.NAMES), registeredFor("--help"));
        assertEquals(Set.copyOf(Subcommands.NAMES), registeredFor("generate-completion"));
    }

    @Test
    void everySubcommandIsReachableByItsName() {
        for (String name : Subcommands.NAMES) {
            ToolRun run = ToolRun.run(name, "--help");

            assertEquals(0, run.exitCode(), name + ": " + run.err());
            assertTrue(run.out().startsWith("Usage: tesaiot-publish " + name), name + ": " + run.out());
        }
    }

    @Test
    void aMistypedSubcommandIsStillGuessed() {
        ToolRun run = ToolRun.run("chek");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("did you mean check?"), run.err());
    }
}
