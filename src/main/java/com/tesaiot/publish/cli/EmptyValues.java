package com.tesaiot.publish.cli;

import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.util.Set;

/**
 * An option given an empty value on the command line ({@code --topic ''}, {@code -h "$HOST"} with HOST unset) is
 * refused: taken as "not given", the run would go on with the default or the bundle's value, and the user would not
 * know. The secrets are the exception: an empty password is a password. (An empty environment variable stays "not
 * set", as the shell treats it.)
 */
final class EmptyValues {
    private static final Set<String> MAY_BE_EMPTY = Set.of("--password", "--key-password");

    private EmptyValues() {
    }

    static void refuse(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (OptionSpec option : p.matchedOptions()) {
                if (option.arity().max() > 0 && !MAY_BE_EMPTY.contains(option.longestName())
                        && option.originalStringValues().stream().anyMatch(String::isEmpty)) {
                    throw new ParameterException(p.commandSpec().commandLine(), option.longestName()
                            + " is given an empty value: give a value, or leave the option out", option, "");
                }
            }
        }
    }
}
