package com.tesaiot.publish.cli;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.app.OutputFormat;
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
                .setExitCodeExceptionMapper(ExitCodes.INSTANCE)
                .setParameterExceptionHandler((e, givenArgs) -> usageError(e, givenArgs, defaults))
                .setExecutionExceptionHandler((e, cl, parseResult) -> {
                    int code = failure(e, command.verbose, cl.getErr());
                    boolean summaryPrinted = e instanceof Failure f && f.kind() == Failure.Kind.NOT_DELIVERED;
                    if (cl.getCommand() == command && command.output != OutputFormat.TEXT && !summaryPrinted) {
                        // CI reading --output json gets an object on every run: a run that failed before it could
                        // publish has no summary, so this stands in for it.
                        cl.getOut().println(new ObjectMapper().createObjectNode().put("ok", false).put("exit_code", code)
                                .put("error", e.getMessage()));
                        cl.getOut().flush();
                    }
                    return code;
                });
        commandLine.getCommandSpec().usageMessage().footer(ExitCodes.ofPublishing());
        commandLine.getSubcommands().get("check").getCommandSpec().usageMessage().footer(ExitCodes.ofChecking());
        commandLine.getSubcommands().get("fleet").getCommandSpec().usageMessage().footer(ExitCodes.ofFleet());
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
        return ExitCodes.USAGE;
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

    /** Prints the failure's one line (the stack trace only with --verbose) and returns its exit code. */
    private static int failure(Exception e, boolean verbose, PrintWriter err) {
        if (e instanceof Failure f) {
            err.println("error: " + ExitCodes.INSTANCE.line(f));
        } else if (e instanceof InterruptedException) {
            err.println("error: interrupted");
        } else {
            err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (verbose ? "" : " (run with --verbose for the stack trace, and please report it)"));
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.INSTANCE.getExitCode(e);
    }
}
