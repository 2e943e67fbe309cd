package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shell completion: picocli's bash script ({@code generate-completion}, and in the packages), the same for zsh, and
 * fish's written from the command model; every one knows every command and option, and offers only values the tool
 * accepts.
 */
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

    @Test
    void offersOnlyValuesTheToolAccepts() {
        int offered = 0;
        for (CommandSpec command : CommandTree.all()) {
            for (OptionSpec option : command.options()) {
                if (option.completionCandidates() == null || option.arity().max() == 0) {
                    continue;
                }
                for (String value : option.completionCandidates()) {
                    List<String> args = new ArrayList<>(List.of(command.qualifiedName(" ").split(" ")));
                    args.remove(0);
                    args.addAll(List.of(option.longestName(), value));
                    CommandLine parser = Main.parser(new PublishCommand(), new EnvironmentDefaults(Map.of()));
                    assertDoesNotThrow(() -> parser.parseArgs(args.toArray(String[]::new)),
                            command.qualifiedName() + " " + option.longestName() + " " + value);
                    offered++;
                }
            }
        }
        assertTrue(offered > 10, "completion offers " + offered + " values");
    }

    @Test
    void everyScenarioOfferedIsOneARunAccepts() {
        for (String scenario : new ScenarioNames()) {
            ToolRun run = ToolRun.run("--device-id", "d", "--certs-dir", "absent", "--dry-run", "--scenario", scenario);
            assertEquals(0, run.exitCode(), scenario + ": " + run.err());
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // where bash is bash 4 or newer and the first bash on the PATH
    void bashCompletesTlsVersionsAsTypedAndTheScenarioNames() throws Exception {
        Path script = Files.createTempFile("completion", ".bash");
        Files.writeString(script, picocli.AutoComplete.bash("tesaiot-publish", PackagedDocumentation.commandLine()));
        assertEquals("tlsv1.2 tlsv1.3", bashCompletes(script, "tesaiot-publish --tls-version "));
        assertEquals("fever", bashCompletes(script, "tesaiot-publish --scenario fe"));
        assertEquals("text json jsonl", bashCompletes(script, "tesaiot-publish check --output "));
        assertEquals("ec rsa", bashCompletes(script, "tesaiot-publish bundle create --key-type "));
        Files.delete(script);
    }

    /** What bash's completion function answers for {@code line}, the cursor at its end. */
    private static String bashCompletes(Path script, String line) throws Exception {
        String program = "source \"$1\" 2>/dev/null; COMP_LINE=\"$2\"; COMP_POINT=${#2}; read -ra COMP_WORDS <<< \"$2\";"
                + " [[ \"$2\" == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$((${#COMP_WORDS[@]}-1));"
                + " _complete_tesaiot-publish 2>/dev/null; echo \"${COMPREPLY[*]}\"";
        Process bash = new ProcessBuilder("bash", "-c", program, "bash", script.toString(), line).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes()).strip();
        assertEquals(0, bash.waitFor(), out);
        return out;
    }

    @Test
    void theScriptIsRegisteredForTheNameTheLauncherThePackageAndTheReadmesAliasShare() {
        String bash = picocli.AutoComplete.bash("tesaiot-publish", PackagedDocumentation.commandLine());
        assertTrue(bash.lines().anyMatch(l -> l.startsWith("complete -F _complete_tesaiot-publish ") && l.contains(" tesaiot-publish ")),
                "not registered for tesaiot-publish");
    }

    @Test
    void zshGetsTheSameScriptThroughBashcompinit() {
        String zsh = PackagedDocumentation.zsh(picocli.AutoComplete.bash("tesaiot-publish", PackagedDocumentation.commandLine()));
        assertTrue(zsh.startsWith("#compdef tesaiot-publish\n"), zsh.lines().findFirst().orElse(""));
        assertTrue(zsh.contains("bashcompinit") && zsh.contains("function _picocli_tesaiot-publish_check()"));
    }

    @Test
    void fishCompletesEveryOptionOfEveryCommandWithTheValuesTheToolAccepts() {
        String fish = PackagedDocumentation.fish(PackagedDocumentation.commandLine().getCommandSpec());
        for (CommandSpec command : CommandTree.all()) {
            String path = command.qualifiedName(" ").substring("tesaiot-publish".length()).strip();
            List<String> lines = fish.lines().filter(l -> l.contains("_command_is \"" + path + "\"'")).toList();
            for (String option : CommandTree.optionNames(command)) {
                String flag = option.startsWith("--") ? " -l " + option.substring(2) + " " : " -s " + option.substring(1) + " ";
                assertTrue(lines.stream().anyMatch(l -> l.contains(flag)), command.qualifiedName() + " does not complete " + option);
            }
        }
        assertTrue(fish.contains("-l tls-version -x -a 'tlsv1.2 tlsv1.3'"), "TLS versions as typed");
        assertTrue(fish.contains("-l scenario -x -a 'normal "), "scenario names");
    }

    @Test
    void fishItselfCompletesTheValues() throws Exception {
        assumeTrue(onPath("fish"), "fish is not installed");
        Path script = Files.createTempFile("completion", ".fish");
        Files.writeString(script, PackagedDocumentation.fish(PackagedDocumentation.commandLine().getCommandSpec()));
        Process fish = new ProcessBuilder("fish", "-c", "source $argv[1]; complete -C 'tesaiot-publish --tls-version '", script.toString())
                .redirectErrorStream(true).start();
        String out = new String(fish.getInputStream().readAllBytes());
        assertEquals(0, fish.waitFor(), out);
        assertEquals(List.of("tlsv1.2", "tlsv1.3"), out.lines().map(l -> l.split("\t")[0]).toList());
        Files.delete(script);
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
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
