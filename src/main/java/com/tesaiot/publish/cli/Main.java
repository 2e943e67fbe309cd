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
    static {
        // picocli otherwise looks for Groovy's Closure class on the class path at start-up (picocli issue #1773).
        System.setProperty("picocli.disable.closures", "true");
        // With this one it registers no converters for java.sql and java.time types, which would load some 25
        // classes by reflection in every run, 10-20 ms of a cold start. No option of ours has such a type (--start-at
        // has its own converter), and every command line, the tests' included, comes through this class, so an
        // option given one would fail its tests with "No TypeConverter registered".
        System.setProperty("picocli.converters.excludes", "java\\.sql\\..*,java\\.time\\..*");
    }

    private Main() {
    }

    public static void main(String[] args) {
        // Standard error flushes every line, so a piped or logged run shows its progress as it happens; standard
        // output is flushed by the run, in bulk, for payloads and JSON.
        int code = run(args, System.getenv(), new PrintWriter(System.out), new PrintWriter(System.err, true));
        if (code == ExitCodes.INTERRUPTED) {
            // A run stops only when Ctrl-C or SIGTERM has begun the JVM's exit, with the signal's own status (130 or
            // 143). Once the shutdown hooks are done, System.exit(130) would halt at once and could overtake it,
            // turning a SIGTERM into 130; returning leaves the exit to the signal.
            return;
        }
        System.exit(code);
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
        CommandLine commandLine = new CommandLine(command);
        Subcommands.register(commandLine, args);
        grammar(commandLine, defaults)
                .setOut(out)
                .setErr(err)
                .setExitCodeExceptionMapper(ExitCodes.INSTANCE)
                .setParameterExceptionHandler((e, givenArgs) -> usageError(e, givenArgs, defaults))
                .setExecutionExceptionHandler((e, cl, parseResult) -> {
                    int code = failure(e, command.verbose, cl.getErr());
                    boolean summaryPrinted = command.summaryPrinted;
                    boolean publishWithoutSummary = cl.getCommand() == command
                            && command.delivery.output != OutputFormat.TEXT && !summaryPrinted;
                    // Without it, a pod's report file would stay empty.
                    boolean fleetWithoutReport = cl.getCommand() instanceof FleetCommand fleet
                            && fleet.delivery.output != OutputFormat.TEXT && !fleet.reportPrinted;
                    if (publishWithoutSummary || fleetWithoutReport) {
                        // A run that failed before its summary or report has none: this stands in for it.
                        String error = e instanceof Failure f ? ExitCodes.INSTANCE.line(f) : e.getMessage();
                        cl.getOut().println(RunSummary.failureJson(code, error));
                        cl.getOut().flush();
                    }
                    return code;
                });
        commandLine.setExecutionStrategy(parseResult -> {
            PahoLogging.show(verbose(parseResult));
            EmptyValues.refuse(parseResult);
            SecretOptions.resolve(parseResult, in, err);
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.getCommandSpec().usageMessage().footer(ExitCodes.ofPublishing());
        GroupedOptionList.install(commandLine.getCommandSpec());
        CommandLine check = commandLine.getSubcommands().get("check");
        if (check != null) {
            check.getCommandSpec().usageMessage().footer(ExitCodes.ofChecking());
            GroupedOptionList.install(check.getCommandSpec());
        }
        CommandLine fleet = commandLine.getSubcommands().get("fleet");
        if (fleet != null) {
            fleet.getCommandSpec().usageMessage().footer(ExitCodes.ofFleet());
        }
        try {
            int code = commandLine.execute(args);
            out.flush();
            if (out.checkError() && code != ExitCodes.INTERRUPTED) {
                // A PrintWriter keeps its IOException to itself: payloads, JSON or a report went nowhere.
                err.println("error: standard output could not be written (a full disk, or a pipe closed early):"
                        + " what it shows is incomplete");
                return code == ExitCodes.SUCCESS ? ExitCodes.LOCAL_IO : code;
            }
            return code;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The whole command tree's grammar, every subcommand built: for the build's man pages, completion and tests. */
    static CommandLine parser(PublishCommand command, EnvironmentDefaults defaults) {
        CommandLine commandLine = new CommandLine(command);
        Subcommands.registerAll(commandLine);
        return grammar(commandLine, defaults);
    }

    /**
     * The command line's grammar, for the command and the subcommands it has: help options, environment defaults and
     * value converters. picocli applies these settings to the subcommands registered at the time, so register them
     * first.
     */
    static CommandLine grammar(CommandLine commandLine, EnvironmentDefaults defaults) {
        return HelpOptions.install(commandLine)
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
        String problem = e instanceof UnmatchedArgumentException unmatched
                ? unknown(unmatched, unmatched.getSuggestions().isEmpty()
                        ? withEverySubcommand(givenArgs, defaults, unmatched) : unmatched)
                : e.getMessage() + fromEnvironment(e.getArgSpec(), givenArgs, defaults);
        err.println("error: " + problem + " (see --help)");
        err.flush();
        if (asksForJson(e.getCommandLine(), givenArgs)) {
            // CI reading standard output gets its object on every run, a command line it got wrong included.
            PrintWriter out = e.getCommandLine().getOut();
            out.println(RunSummary.failureJson(ExitCodes.USAGE, problem));
            out.flush();
        }
        return ExitCodes.USAGE;
    }

    /**
     * Whether a publish run or a fleet was given {@code --output json} or {@code jsonl}, read from the words as given:
     * the parse stopped at the mistake, maybe before it reached the option. ({@code check}'s JSON is its report.)
     */
    private static boolean asksForJson(CommandLine failed, String[] givenArgs) {
        if (!(failed.getCommand() instanceof PublishCommand || failed.getCommand() instanceof FleetCommand)) {
            return false;
        }
        for (int i = 0; i < givenArgs.length; i++) {
            String value = givenArgs[i].startsWith("--output=") ? givenArgs[i].substring("--output=".length())
                    : givenArgs[i].equals("--output") && i + 1 < givenArgs.length ? givenArgs[i + 1] : null;
            if (value != null) {
                try {
                    return new OutputFormatConverter().convert(value) != OutputFormat.TEXT;
                } catch (CommandLine.TypeConversionException notAFormat) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * The first argument nobody knows, with picocli's guess at what was meant. picocli's own message lists every
     * argument after it too, naming the value of a mistyped option as an unknown option as well.
     */
    private static String unknown(UnmatchedArgumentException e, UnmatchedArgumentException guesses) {
        String argument = e.getUnmatched().get(0);
        String what = (argument.startsWith("-") ? "Unknown option: '" : "Unknown command or argument: '") + argument + "'";
        List<String> suggestions = guesses.getSuggestions();
        return suggestions.isEmpty() ? what : what + ": did you mean " + String.join(" or ", suggestions) + "?";
    }

    /**
     * The same arguments parsed with every subcommand built, for picocli's guesses: a mistyped subcommand ("chek")
     * names none, so none was built to be guessed. Falls back to {@code unmatched}.
     */
    private static UnmatchedArgumentException withEverySubcommand(String[] givenArgs, EnvironmentDefaults defaults,
            UnmatchedArgumentException unmatched) {
        CommandLine everything = new CommandLine(new PublishCommand());
        Subcommands.registerAll(everything);
        grammar(everything, defaults);
        try {
            everything.parseArgs(givenArgs);
        } catch (UnmatchedArgumentException again) {
            return again;
        } catch (ParameterException other) {
            return unmatched;
        }
        return unmatched;
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
