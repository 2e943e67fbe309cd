package com.tesaiot.publish.testing.tool;

import com.tesaiot.publish.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tool run in-process as a user runs it, with an explicit environment: its exit code and both streams. */
public record ToolRun(int exitCode, String out, String err) {

    public static ToolRun run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, environment, new PrintWriter(out), new PrintWriter(err));
        return new ToolRun(code, out.toString(), err.toString());
    }

    /** The tool run with {@code stdin} piped to its standard input (not a terminal: no prompt is expected). */
    public static ToolRun runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, Map.of(), new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err));
        return new ToolRun(code, out.toString(), err.toString());
    }

    public static ToolRun run(String... args) {
        return run(Map.of(), args);
    }

    public List<String> outLines() {
        return out.lines().toList();
    }

    /** The first {@code error: } line on standard error, or "" when there is none. */
    public String errorLine() {
        return err.lines().filter(line -> line.startsWith("error: ")).findFirst().orElse("");
    }

    /** The closing "Sent ..." summary line. */
    public String summary() {
        return err.lines().filter(l -> l.contains("] Sent ")).reduce((a, b) -> b).orElse("");
    }

    /**
     * Exactly one error line, the last one, holding {@code fragment}; progress lines may come before it; no stack
     * trace anywhere.
     */
    public void assertFailsWithOneLine(int expectedExitCode, String fragment) {
        assertEquals(expectedExitCode, exitCode, err);
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.stream().filter(l -> l.startsWith("error: ")).count(), err);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("error: ") && last.contains(fragment), "expected '" + fragment + "' in: " + err);
        assertFalse(err.contains("\tat "), err);
    }
}
