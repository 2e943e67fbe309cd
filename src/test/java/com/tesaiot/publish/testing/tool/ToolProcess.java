package com.tesaiot.publish.testing.tool;

import com.tesaiot.publish.cli.Main;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tool as a process of its own (its own JVM, on the tests' class path), for what only a process shows: signals,
 * a SIGKILL, two clients with one id at once. {@link ToolRun} runs it in this JVM for everything else.
 */
public final class ToolProcess {
    private ToolProcess() {
    }

    /** The command line that runs the tool with {@code args}. */
    public static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return command;
    }

    /** The command line that runs the tool with {@code args}. */
    public static List<String> command(String... args) {
        return command(List.of(args));
    }
}
