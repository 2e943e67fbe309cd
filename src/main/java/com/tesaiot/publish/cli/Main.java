package com.tesaiot.publish.cli;

import com.tesaiot.publish.ExitStatus;
import com.tesaiot.publish.Failure;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;

/** Entry point: runs the command and turns every failure into one line and a documented exit code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Standard error flushes every line, so a piped or logged run shows its progress as it happens; standard
        // output is flushed by the run, in bulk, for payloads and JSON.
        System.exit(run(args, System.getenv(), new PrintWriter(System.out), new PrintWriter(System.err, true)));
    }

    /** Runs the tool as a process would, with the given environment and streams; returns the exit code. */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        EnvironmentDefaults defaults = new EnvironmentDefaults(environment);
        PublishCommand command = new PublishCommand();
        CommandLine commandLine = new CommandLine(command)
                .setOut(out)
                .setErr(err)
                .setDefaultValueProvider(defaults)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(java.math.BigDecimal.class, new NumberConverters.Decimal())
                .registerConverter(Long.class, new NumberConverters.WholeNumber())
                .registerConverter(Integer.class, new NumberConverters.Int())
                .registerConverter(Integer.TYPE, new NumberConverters.Int())
                .setParameterExceptionHandler((e, givenArgs) -> usageError(e, givenArgs, defaults))
                .setExecutionExceptionHandler((e, cl, parseResult) -> {
                    int code = failure(e, command.verbose, cl.getErr());
                    boolean summaryPrinted = e instanceof Failure f && f.status() == ExitStatus.NOT_DELIVERED;
                    if (cl.getCommand() == command && command.output != OutputFormat.TEXT && !summaryPrinted) {
                        // CI reading --output json gets an object on every run: a run that failed before it could
                        // publish has no summary, so this stands in for it.
                        cl.getOut().println(new ObjectMapper().createObjectNode().put("ok", false).put("exit_code", code)
                                .put("error", e.getMessage()));
                        cl.getOut().flush();
                    }
                    return code;
                });
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int usageError(ParameterException e, String[] givenArgs, EnvironmentDefaults defaults) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage() + fromEnvironment(e.getArgSpec(), givenArgs, defaults)
                + " (see --help)");
        err.flush();
        return ExitStatus.USAGE.code();
    }

    /** When a bad value came from an environment variable, say which: the user may not know it is set. */
    private static String fromEnvironment(ArgSpec arg, String[] givenArgs, EnvironmentDefaults defaults) {
        if (!(arg instanceof OptionSpec option) || defaults.valueOf(option) == null) {
            return "";
        }
        boolean onCommandLine = Arrays.stream(givenArgs).anyMatch(a -> Arrays.stream(option.names())
                .anyMatch(name -> a.equals(name) || a.startsWith(name + "=")));
        return onCommandLine ? "" : " (from environment variable " + EnvironmentDefaults.VARIABLES.get(option.longestName()) + ")";
    }

    private static int failure(Exception e, boolean verbose, PrintWriter err) {
        if (e instanceof Failure f) {
            err.println("error: " + f.getMessage());
            if (verbose) {
                f.printStackTrace(err);
            }
            err.flush();
            return f.status().code();
        }
        if (e instanceof InterruptedException) {
            err.println("error: interrupted");
            err.flush();
            return ExitStatus.NOT_DELIVERED.code();
        }
        err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + (verbose ? "" : " (run with --verbose for the stack trace, and please report it)"));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return 70; // EX_SOFTWARE: a bug of ours, not a problem the user can fix
    }
}
