package com.tesaiot.publish.e2e;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import com.tesaiot.publish.cli.Main;

/** One in-process run of the tool, as a process would see it: exit code, standard output, standard error. */
record CliRun(int exitCode, String out, String err) {

    /** Runs the tool with exactly {@code environment}, so this JVM's own environment does not leak in. */
    static CliRun run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(args, environment, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** The first {@code error: } line on standard error, or "" when there is none. */
    String errorLine() {
        return err.lines().filter(line -> line.startsWith("error: ")).findFirst().orElse("");
    }
}
