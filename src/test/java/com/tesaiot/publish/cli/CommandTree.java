package com.tesaiot.publish.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;

/** Every command of the tool, as it runs (help options included): what the help, man pages and completion show. */
final class CommandTree {
    private CommandTree() {
    }

    /** The root command and all its subcommands, depth first. */
    static List<CommandSpec> all() {
        List<CommandSpec> commands = new ArrayList<>();
        collect(PackagedDocumentation.commandLine().getCommandSpec(), commands);
        return commands;
    }

    /** The long (or only) name of each option a user can type, hidden ones left out. */
    static List<String> optionNames(CommandSpec command) {
        return command.options().stream().filter(option -> !option.hidden()).map(OptionSpec::longestName).toList();
    }

    private static void collect(CommandSpec command, List<CommandSpec> into) {
        into.add(command);
        command.subcommands().values().stream().map(CommandLine::getCommandSpec).distinct()
                .forEach(sub -> collect(sub, into));
    }
}
