package com.tesaiot.publish.cli;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.app.OutputFormat;
import com.tesaiot.publish.mqtt.PahoLogging;
import com.tesaiot.publish.report.RunSummary;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
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
        return run(args, environment, System.in, out, err);
    }

    /** Runs the tool as a process would, with the given environment, standard input and streams. */
    public static int run(String[] args, Map<String, String> environment, java.io.InputStream in, PrintWriter out,
            PrintWriter err) {
        EnvironmentDefaults defaults = new EnvironmentDefaults(environment);
        PublishCommand command = new PublishCommand();
        CommandLine commandLine = parser(command, defaults)
                .setOut(out)
                .setErr(err)
                .setExitCodeExceptionMapper(ExitCodes.INSTANCE)
                .setParameterExceptionHandler((e, givenArgs) -> usageError(e, givenArgs, defaults))
                .setExecutionExceptionHandler((e, cl, parseResult) -> {
                    int code = failure(e, command.verbose, cl.getErr());
                    boolean summaryPrinted = command.summaryPrinted;
                    if (cl.getCommand() == command && command.delivery.output != OutputFormat.TEXT && !summaryPrinted) {
                        // A run that failed before it could publish has no summary: this stands in for it.
                        String error = e instanceof Failure f ? ExitCodes.INSTANCE.line(f) : e.getMessage();
                        cl.getOut().println(RunSummary.failureJson(code, error));
                        cl.getOut().flush();
                    }
                    return code;
                });
        commandLine.setExecutionStrategy(parseResult -> {
            PahoLogging.show(verbose(parseResult));
            SecretOptions.resolve(parseResult, in, err);
            return new CommandLine.RunLast().execute(parseResult);
        });
        CommandSpec check = commandLine.getSubcommands().get("check").getCommandSpec();
        commandLine.getCommandSpec().usageMessage().footer(ExitCodes.ofPublishing());
        check.usageMessage().footer(ExitCodes.ofChecking());
        GroupedOptionList.install(commandLine.getCommandSpec());
        GroupedOptionList.install(check);
        commandLine.getSubcommands().get("fleet").getCommandSpec().usageMessage().footer(ExitCodes.ofFleet());
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The command line's grammar: options, their environment defaults and value converters. */
    static CommandLine parser(PublishCommand command, EnvironmentDefaults defaults) {
        return HelpOptions.install(new CommandLine(command))
                .setDefaultValueProvider(defaults)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(java.math.BigDecimal.class, new NumberConverters.Decimal())
                .registerConverter(Long.class, new NumberConverters.WholeNumber())
                .registerConverter(Integer.class, new NumberConverters.Int())
                .registerConverter(Integer.TYPE, new NumberConverters.Int())
                .registerConverter(OutputFormat.class, new OutputFormatConverter());
    }

    /** --verbose given to the command or any subcommand (the option is inherited). */
    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static int usageError(ParameterException e, String[] givenArgs, EnvironmentDefaults defaults) {
        PrintWriter err = e.getCommandLine().getErr();
        String problem = e instanceof UnmatchedArgumentException unmatched ? unknown(unmatched)
                : e.getMessage() + fromEnvironment(e.getArgSpec(), givenArgs, defaults);
        err.println("error: " + problem + " (see --help)");
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * The first argument nobody knows, with picocli's guess at what was meant. picocli's own message lists every
     * argument after it too, naming the value of a mistyped option as an unknown option as well.
     */
    private static String unknown(UnmatchedArgumentException e) {
        String argument = e.getUnmatched().get(0);
        String what = (argument.startsWith("-") ? "Unknown option: '" : "Unknown command or argument: '") + argument + "'";
        List<String> suggestions = e.getSuggestions();
        return suggestions.isEmpty() ? what : what + ": did you mean " + String.join(" or ", suggestions) + "?";
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
