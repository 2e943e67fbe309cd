package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                // An option's names are set in bold together: "\fB\-h\fP, \fB\-\-host, \-\-broker\-host\fP".
                String name = option.replace("-", "\\-");
                assertTrue(options.lines().anyMatch(l -> l.contains("\\fB") && (l.contains(name + "\\fP") || l.contains(name + ","))),
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

    @Test
    void theManPagesSayExitStatusEnvironmentFilesAndExamples() throws Exception {
        String publish = Files.readString(TARGET.resolve("man/tesaiot-publish.1"));
        for (String section : List.of("EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES")) {
            assertTrue(publish.contains(".SH \"" + section + "\""), "tesaiot-publish.1 has no " + section);
        }
        String exitStatus = section(publish, "EXIT STATUS");
        assertTrue(exitStatus.contains("usage error") && exitStatus.contains("broker unreachable"), exitStatus);
        String environment = section(publish, "ENVIRONMENT");
        for (String variable : List.of("MQTT_HOST", "MQTT_PORT", "CERTS_DIR", "TLS_VERSION", "MQTT_PASSWORD")) {
            assertTrue(environment.contains(variable), "ENVIRONMENT does not name " + variable);
        }
        assertTrue(section(publish, "FILES").contains("client_key.pem"));
        assertTrue(section(publish, "EXAMPLES").contains("tesaiot\\-publish \\-L mqtts://"));
        String check = Files.readString(TARGET.resolve("man/tesaiot-publish-check.1"));
        assertTrue(section(check, "EXIT STATUS").contains("every step passed"));
        assertTrue(section(check, "EXAMPLES").contains("jsonl"));
    }

    @Test
    void theCompletionScriptsForEachShellAreBesideTheJar() throws Exception {
        Path completion = TARGET.resolve("completion");
        assertEquals(Files.readString(TARGET.resolve("tesaiot-publish_completion")), Files.readString(completion.resolve("tesaiot-publish.bash")));
        assertTrue(Files.readString(completion.resolve("_tesaiot-publish")).startsWith("#compdef tesaiot-publish"));
        assertTrue(Files.readString(completion.resolve("tesaiot-publish.fish")).contains("complete -c tesaiot-publish "));
    }

    /** The text of a man page's section, up to the next one. */
    private static String section(String troff, String title) {
        int start = troff.indexOf(".SH \"" + title + "\"");
        assertTrue(start >= 0, "no section " + title);
        int end = troff.indexOf(".SH ", start + 4);
        return troff.substring(start, end < 0 ? troff.length() : end);
    }
}
