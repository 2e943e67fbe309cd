package com.tesaiot.publish.cli;

import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The root command's subcommands, built only when a command line names them. picocli builds each subcommand of a
 * {@code @Command(subcommands = ...)} list as the root command is built, reading its options, mixins and converters
 * by reflection: time and classes that a plain publish run never uses. So {@link PublishCommand} lists none, and
 * {@link #register} adds to the root only the subcommands a command line names (all of them for help and for the
 * completion script, which describe them all); {@link Main#parser}, the whole tree for the documentation and the
 * tests, adds them all.
 */
final class Subcommands {
    /** The subcommands' names, in the order help lists them. */
    static final List<String> NAMES = List.of("check", "bundle", "fleet", "generate-completion");

    /** Words that need the whole tree: help describes every subcommand, and the completion script completes them. */
    private static final Set<String> WHOLE_TREE = Set.of("--help", "generate-completion");

    private Subcommands() {
    }

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
