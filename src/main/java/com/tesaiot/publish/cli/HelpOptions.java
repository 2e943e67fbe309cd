package com.tesaiot.publish.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --help} and {@code -V, --version} on every command, in place of picocli's standard pair: there {@code -h}
 * is help, but to mosquitto_pub, mqtt-cli and MQTTX it is the broker host, and {@code -h localhost --once} must
 * never print help and exit 0 (a CI job would pass without publishing). mqtt-cli, too, has help on --help only.
 */
final class HelpOptions {
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    /**
     * Puts these in place of picocli's standard help options on {@code commandLine} and every subcommand (picocli's
     * own generate-completion among them, whose annotation asks for the standard pair).
     */
    static CommandLine install(CommandLine commandLine) {
        CommandSpec spec = commandLine.getCommandSpec();
        // picocli leaves its pair out where a command has -h of its own, and reports it as not mixed in then.
        spec.mixinStandardHelpOptions(false);
        if (!spec.optionsMap().containsKey("--help")) {
            spec.addMixin("help", CommandSpec.forAnnotatedObject(new HelpOptions()));
        }
        commandLine.getSubcommands().values().stream().distinct().forEach(HelpOptions::install);
        return commandLine;
    }
}
