package com.tesaiot.publish.cli;

import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The whole command tree: the root command with every subcommand. picocli builds each subcommand of a
 * {@code @Command(subcommands = ...)} list as the root command is built, reading its options, mixins and converters
 * by reflection: time and classes that a plain publish run never uses. So {@link PublishCommand} lists none, and
 * {@link #register} adds to the root only the subcommands a command line names (all of them for help and for the
 * completion script, which describe them all). The build's man page and completion generators read this class's
 * annotation: the same tree.
 */
@Command(name = "tesaiot-publish",
        subcommands = {CheckCommand.class, BundleCommand.class, FleetCommand.class, GenerateCompletion.class})
final class Subcommands {
    /** The root command's names, in the annotation's order (the order help lists them in). */
    static final List<String> NAMES = List.of("check", "bundle", "fleet", "generate-completion");

    /** Words that need the whole tree: help describes every subcommand, and the completion script completes them. */
    private static final Set<String> WHOLE_TREE = Set.of("--help", "generate-completion");

    /** The options, description and help of the root command. */
    @Mixin
    PublishCommand root = new PublishCommand();

    /**
     * Adds to {@code root} the subcommands {@code args} name, or all of them when {@code args} ask for help or for the
     * completion script.
     */
    static void register(CommandLine root, String[] args) {
        List<String> words = Arrays.asList(args);
        boolean all = words.stream().anyMatch(WHOLE_TREE::contains);
        for (String name : NAMES) {
            if (all || words.contains(name)) {
                root.addSubcommand(name, command(name));
            }
        }
    }

    /** Adds every subcommand to {@code root}. */
    static void registerAll(CommandLine root) {
        for (String name : NAMES) {
            root.addSubcommand(name, command(name));
        }
    }

    /** A new subcommand; its class is loaded only here (not by reading the annotation), when it is named. */
    private static Object command(String name) {
        return switch (name) {
            case "check" -> new CheckCommand();
            case "bundle" -> new BundleCommand();
            case "fleet" -> new FleetCommand();
            case "generate-completion" -> new GenerateCompletion();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }
}
