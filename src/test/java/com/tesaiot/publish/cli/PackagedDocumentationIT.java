package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code mvn package} leaves in {@code target/} beside the jar: one man page per command and the completion
 * script, both generated from the annotations the help comes from. An integration test: it reads the build's output,
 * so it runs after the package phase.
 */
class PackagedDocumentationIT {
    private static final Path TARGET = Path.of("target");

    @Test
    void aManPageForEveryCommandNamesEachOfItsOptions() throws Exception {
        for (CommandSpec command : CommandTree.all()) {
            Path page = TARGET.resolve("man").resolve(command.qualifiedName("-") + ".1");
            assertTrue(Files.isRegularFile(page), "no man page " + page);
            String troff = Files.readString(page);
            assertTrue(troff.contains(".TH \"" + command.qualifiedName("-").toUpperCase(Locale.ROOT).replace("-", "\\-") + "\""),
                    "not a troff man page: " + page);
            String options = troff.substring(troff.indexOf(".SH \"OPTIONS\""));
            for (String option : CommandTree.optionNames(command)) {
                assertTrue(options.contains("\\fB" + option.replace("-", "\\-") + "\\fP"),
                        page + " does not describe " + option);
            }
        }
    }

    @Test
    void theCompletionScriptIsTheOneGenerateCompletionPrints() throws Exception {
        Path script = TARGET.resolve("tesaiot-publish_completion");

        assertTrue(Files.isRegularFile(script), "no completion script " + script);
        assertEquals(ToolRun.run("generate-completion").out().strip(), Files.readString(script).strip());
    }
}
