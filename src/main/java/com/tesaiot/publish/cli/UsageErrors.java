package com.tesaiot.publish.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Usage errors that name where a bad value came from: an option the user did not type but set through its
 * environment variable is named by that variable, or the user would look for a flag they never gave.
 */
final class UsageErrors {
    private final CommandSpec spec;

    UsageErrors(CommandSpec spec) {
        this.spec = spec;
    }

    /** True when {@code option} was typed on the command line (rather than set by the environment or a default). */
    boolean onCommandLine(String option) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(option);
    }

    /** How to name {@code option} to the user: the flag, or the variable that set it. */
    String name(String option) {
        String variable = EnvironmentDefaults.VARIABLES.get(option);
        return onCommandLine(option) || variable == null ? option : variable + " (environment)";
    }

    ParameterException error(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** "{option or variable} must be ..., not {value}". */
    ParameterException invalid(String option, String requirement, Object value) {
        return error(name(option) + " must be " + requirement + ", not " + value);
    }
}
