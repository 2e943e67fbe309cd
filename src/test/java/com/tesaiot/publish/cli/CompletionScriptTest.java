package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code generate-completion}: a bash/zsh completion script that knows every command and option. */
class CompletionScriptTest {

    @Test
    void printsAScriptThatCompletesEveryOptionOfEveryCommand() {
        ToolRun run = ToolRun.run("generate-completion");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("#!/usr/bin/env bash"), run.out().lines().findFirst().orElse(""));
        assertTrue(run.out().contains("complete -F _complete_tesaiot-publish"), "registers itself for the command");
        for (CommandSpec command : CommandTree.all()) {
            String function = functionBody(run.out(), command);
            for (String option : CommandTree.optionNames(command)) {
                assertTrue(function.contains("'" + option + "'"),
                        command.qualifiedName() + " does not complete " + option + ":\n" + function);
            }
        }
    }

    /** picocli writes one function per command: _picocli_tesaiot-publish_bundle_create for "bundle create". */
    private static String functionBody(String script, CommandSpec command) {
        StringBuilder name = new StringBuilder("_picocli_" + command.root().name());
        for (CommandSpec c = command; c.parent() != null; c = c.parent()) {
            name.insert(("_picocli_" + command.root().name()).length(), "_" + c.name().replace("-", ""));
        }
        Matcher body = Pattern.compile("function " + Pattern.quote(name.toString()) + "\\(\\) \\{\\R(.*?)\\R}\\R",
                Pattern.DOTALL).matcher(script);
        assertTrue(body.find(), "no completion function " + name + " for " + command.qualifiedName());
        return body.group(1);
    }
}
