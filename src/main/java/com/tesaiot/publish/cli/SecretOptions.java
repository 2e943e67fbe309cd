package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.Terminal;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The options that carry a secret (--password, --key-password): given alone, the secret is asked for on standard
 * error when standard input is a terminal, and read without a prompt from standard input when it is not (a
 * pipe); nothing there is an error naming the environment variable. Given with a value, it works but draws a
 * warning: a command line is visible to every user of the machine.
 */
final class SecretOptions {
    /** What picocli puts in a secret option given without a value: "ask for it". */
    static final String ASK = "\u0000ask";
    private static final Map<String, String> PROMPTS = Map.of("--password", "MQTT password: ", "--key-password", "Key password: ");

    private SecretOptions() {
    }

    /** Warns about secrets typed as values, and fills in those to ask for, before the command runs. */
    static void resolve(ParseResult parsed, InputStream in, PrintWriter err) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (String name : PROMPTS.keySet()) {
                OptionSpec option = p.matchedOption(name);
                if (option == null) {
                    continue;
                }
                char[] value = option.getValue();
                String variable = EnvironmentDefaults.VARIABLES.get(name);
                if (value != null && !ASK.equals(new String(value))) {
                    err.println("warning: " + name + " with a value puts the secret on the command line, where every"
                            + " user of this machine can read it (ps): give it in " + variable + " instead");
                    err.flush();
                } else {
                    option.setValue(ask(p, name, variable, in, err));
                }
            }
        }
    }

    private static char[] ask(ParseResult p, String name, String variable, InputStream in, PrintWriter err) {
        String answer;
        try {
            if (in == System.in && System.console() != null) {
                char[] typed = System.console().readPassword("%s", PROMPTS.get(name)); // on the terminal, not stdout
                answer = typed == null ? null : new String(typed);
            } else {
                if (in == System.in && Terminal.isStandardInput()) {
                    err.print(PROMPTS.get(name));
                    err.flush();
                }
                answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            }
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || answer.isEmpty()) {
            throw new ParameterException(p.commandSpec().commandLine(), name + " was given without a value and standard"
                    + " input held none: give the secret in " + variable + " (or pipe it to standard input)");
        }
        return answer.toCharArray();
    }
}
