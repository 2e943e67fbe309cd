package com.tesaiot.publish.cli;

import com.tesaiot.publish.bundle.BundleLayout;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * What {@code mvn package} writes beside the jar from the same command model the help comes from (the one
 * {@link Main#parser} builds, with --help and -h as the tool really has them): the man pages' AsciiDoc, with EXIT
 * STATUS, ENVIRONMENT, FILES and EXAMPLES sections, and the completion scripts for bash (picocli's), zsh (the same
 * through zsh's bashcompinit) and fish (written from the model, option by option). Build-time code, run by the exec
 * plugin with the test classpath, since picocli-codegen is no part of the jar.
 *
 * <pre>PackagedDocumentation TARGET_DIR</pre>
 */
final class PackagedDocumentation {
    static final String NAME = "tesaiot-publish";

    private PackagedDocumentation() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        CommandLine commandLine = commandLine();
        String bash = AutoComplete.bash(NAME, commandLine);
        Path completion = Files.createDirectories(target.resolve("completion"));
        Files.writeString(target.resolve(NAME + "_completion"), bash); // the release's file name since 0.1.0
        Files.writeString(completion.resolve(NAME + ".bash"), bash);
        Files.writeString(completion.resolve("_" + NAME), zsh(bash));
        Files.writeString(completion.resolve(NAME + ".fish"), fish(commandLine.getCommandSpec()));
        manPages(commandLine.getCommandSpec(), Files.createDirectories(target.resolve("generated-picocli-docs")));
    }

    /** The tool's command tree as it runs, with each command's exit codes for the man page. */
    static CommandLine commandLine() {
        CommandLine commandLine = Main.parser(new PublishCommand(), new EnvironmentDefaults(Map.of()));
        exitStatus(commandLine.getCommandSpec(), ExitCodes.publishing());
        exitStatus(commandLine.getSubcommands().get("check").getCommandSpec(), ExitCodes.checking());
        exitStatus(commandLine.getSubcommands().get("fleet").getCommandSpec(), ExitCodes.fleet());
        return commandLine;
    }

    private static void exitStatus(CommandSpec spec, Map<String, String> codes) {
        spec.usageMessage().exitCodeListHeading("Exit status%n").exitCodeList(codes);
    }

    /**
     * For zsh: picocli's bash script through bashcompinit, as a file for zsh's fpath. zsh runs the file on the first
     * completion of the command: it registers the bash function, then answers that first completion with it.
     */
    static String zsh(String bash) {
        return "#compdef " + NAME + "\n"
                + "# zsh completion for " + NAME + ": the bash completion, through zsh's bashcompinit.\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + bash.replaceFirst("^#!/usr/bin/env bash\\R", "")
                + "\n_bash_complete -F _complete_" + NAME + " -o default\n";
    }

    /** For fish: one {@code complete} line per subcommand and per option of each command, from the model. */
    static String fish(CommandSpec root) {
        List<CommandSpec> commands = new ArrayList<>();
        collect(root, commands);
        StringBuilder f = new StringBuilder();
        f.append("# fish completion for ").append(NAME).append(", written from its command model (as its help and man pages are).\n");
        f.append("# The subcommands typed so far, e.g. \"bundle create\"; empty for the command itself.\n");
        f.append("function __").append(fishName()).append("_command\n");
        f.append("    set -l path ''\n");
        f.append("    for word in (commandline -opc)[2..-1]\n");
        f.append("        switch \"$path $word\"\n");
        f.append("            case");
        for (CommandSpec c : commands) {
            if (c.parent() != null) {
                f.append(' ').append(quote(path(c.parent()) + " " + c.name()));
            }
        }
        f.append("\n                set path (string trim -- \"$path $word\")\n");
        f.append("        end\n    end\n    echo $path\nend\n");
        f.append("function __").append(fishName()).append("_command_is\n");
        f.append("    set -l typed (__").append(fishName()).append("_command)\n");
        f.append("    test \"$typed\" = \"$argv[1]\"\nend\n");
        f.append("complete -c ").append(NAME).append(" -f\n");
        for (CommandSpec c : commands) {
            String condition = "-n " + quote("__" + fishName() + "_command_is \"" + path(c) + "\"") + " ";
            c.subcommands().values().stream().map(CommandLine::getCommandSpec).distinct().forEach(sub ->
                    f.append("complete -c ").append(NAME).append(' ').append(condition).append("-a ").append(quote(sub.name()))
                            .append(" -d ").append(quote(firstSentence(sub.usageMessage().description()))).append('\n'));
            for (OptionSpec option : c.options()) {
                if (option.hidden()) {
                    continue;
                }
                f.append("complete -c ").append(NAME).append(' ').append(condition);
                for (String name : option.names()) {
                    f.append(name.startsWith("--") ? "-l " + name.substring(2) : "-s " + name.substring(1)).append(' ');
                }
                if (option.arity().max() > 0) {
                    if (option.completionCandidates() != null) {
                        f.append("-x -a ").append(quote(StreamSupport.stream(option.completionCandidates().spliterator(), false)
                                .collect(Collectors.joining(" ")))).append(' ');
                    } else if (option.type() == Path.class) {
                        f.append("-r -F ");
                    } else {
                        f.append("-x ");
                    }
                }
                f.append("-d ").append(quote(firstSentence(option.description()))).append('\n');
            }
        }
        return f.toString();
    }

    private static String fishName() {
        return NAME.replace('-', '_');
    }

    /** "bundle create" for that command, "" for the root. */
    private static String path(CommandSpec c) {
        return c.parent() == null ? "" : (path(c.parent()) + " " + c.name()).strip();
    }

    private static void collect(CommandSpec command, List<CommandSpec> into) {
        into.add(command);
        command.subcommands().values().stream().map(CommandLine::getCommandSpec).distinct().forEach(sub -> collect(sub, into));
    }

    private static String firstSentence(String[] description) {
        String text = String.join(" ", description).replace("${DEFAULT-VALUE}", "").strip();
        int end = text.indexOf(". ");
        String sentence = end < 0 ? text : text.substring(0, end + 1);
        return sentence.replaceAll("\\s*\\((env|default|e\\.g\\.)[^)]*\\)", "").replaceAll("\\.$", "");
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** picocli's man pages, each with the sections picocli does not write. */
    static void manPages(CommandSpec root, Path adocDir) throws IOException {
        ManPageGenerator.generateManPage(adocDir.toFile(), null, new boolean[0], true, root);
        List<CommandSpec> commands = new ArrayList<>();
        collect(root, commands);
        for (CommandSpec command : commands) {
            Path page = adocDir.resolve(command.qualifiedName("-") + ".adoc");
            String adoc = Files.readString(page);
            String end = "// end::picocli-generated-full-manpage[]";
            Files.writeString(page, adoc.replace(end, sections(command) + end));
        }
    }

    private static String sections(CommandSpec command) {
        StringBuilder s = new StringBuilder();
        Map<String, String> environment = environment(command);
        if (!environment.isEmpty()) {
            s.append("== Environment\n\n");
            environment.forEach((variable, meaning) -> s.append('*').append(variable).append("*::\n  ").append(meaning).append("\n\n"));
        }
        String files = FILES.get(command.qualifiedName(" "));
        if (files != null) {
            s.append("== Files\n\n").append(files).append("\n\n");
        }
        List<String[]> examples = EXAMPLES.getOrDefault(command.qualifiedName(" "), List.of());
        if (!examples.isEmpty()) {
            s.append("== Examples\n\n");
            for (String[] example : examples) {
                s.append(example[0]).append(":\n\n----\n").append(example[1]).append("\n----\n\n");
            }
        }
        return s.toString();
    }

    /** Each variable that stands for one of the command's options, and the launcher's own. */
    private static Map<String, String> environment(CommandSpec command) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (OptionSpec option : command.options()) {
            String variable = EnvironmentDefaults.VARIABLES.get(option.longestName());
            if (variable != null && !option.hidden()) {
                variables.put(variable, "The default of *" + String.join(", ", option.names()) + "*: a flag on the"
                        + " command line wins over it, and it over endpoints.json and the built-in default. Empty counts as unset.");
            }
        }
        if (command.parent() == null) {
            variables.put("JAVA_HOME, JAVA_OPTS", "For the launcher script beside the jar: the Java runtime to use, and"
                    + " JVM flags added after its own (e.g. JAVA_OPTS=-Xmx1g for a large fleet). The native packages'"
                    + " launcher reads neither: its JVM flags are in /usr/lib/tesaiot-publish/app/tesaiot-publish.cfg.");
            variables.put("TESAIOT_PUBLISH_CACHE", "Where the launcher script keeps its class-data archive (default"
                    + " $XDG_CACHE_HOME/tesaiot-publish, else ~/.cache/tesaiot-publish).");
        }
        return variables;
    }

    private static final String BUNDLE_FILES = "_certs_credentials/_ (else _../certs_credentials/_), or *--certs-dir*::\n"
            + "  The device's credential bundle, a folder or the platform's .zip: *" + BundleLayout.DEVICE_ID + "*, *"
            + BundleLayout.CLIENT_CERT + "*, *" + BundleLayout.CLIENT_KEY + "* (readable by its owner only), *"
            + BundleLayout.CA_CHAIN + "*, *" + BundleLayout.ENDPOINTS + "* (broker host and port) and, where the broker"
            + " wants a password, *" + BundleLayout.API_KEY + "*; or the platform's download as it comes.";

    private static final Map<String, String> FILES = Map.of(
            "tesaiot-publish", BUNDLE_FILES + "\n\n"
                    + "_~/.cache/tesaiot-publish/_::\n  The launcher script's class-data archive, one per jar and Java"
                    + " runtime; deleting it is harmless.\n\n"
                    + "*--outbox* _DIR_::\n  Unacknowledged readings, kept across runs.",
            "tesaiot-publish check", BUNDLE_FILES,
            "tesaiot-publish fleet", "*--bundles* _DIR_::\n  One bundle per device: each sub-folder or .zip.",
            "tesaiot-publish bundle create", "*--out* _DIR_ (default _certs_credentials/_)::\n  The bundle written, and in"
                    + " its _broker/_ folder the local broker's certificate, key, _mosquitto.conf_ and HiveMQ's _config.xml_.");

    private static final Map<String, List<String[]>> EXAMPLES = Map.of(
            "tesaiot-publish", List.<String[]>of(
                    new String[] {"One reading with the bundle in ./certs_credentials, to the broker its endpoints.json names",
                            "tesaiot-publish --once"},
                    new String[] {"As mosquitto_pub would be told: host, port and topic",
                            "tesaiot-publish -h broker.example -p 8883 -t device/ID/telemetry --once"},
                    new String[] {"The same as one URL",
                            "tesaiot-publish -L mqtts://broker.example:8883/device/ID/telemetry --once"},
                    new String[] {"Ten readings, one a second, and the summary as JSON for a script",
                            "tesaiot-publish --certs-dir bundle.zip --count 10 --interval 1 --output json"},
                    new String[] {"The payloads only, connecting to nothing", "tesaiot-publish --dry-run --count 3"}),
            "tesaiot-publish check", List.<String[]>of(
                    new String[] {"Every step to the broker, and one acknowledged message",
                            "tesaiot-publish check --certs-dir bundle.zip --publish-test"},
                    new String[] {"The same as one JSON line per step, for CI",
                            "tesaiot-publish check --output jsonl"}),
            "tesaiot-publish fleet", List.<String[]>of(
                    new String[] {"A local fleet of 100 devices, 30 readings each",
                            "tesaiot-publish bundle create --devices 100 --out fleet\n"
                                    + "tesaiot-publish fleet --bundles fleet --count 30 --interval 1"}),
            "tesaiot-publish bundle create", List.<String[]>of(
                    new String[] {"A development bundle and a local mosquitto that trusts it",
                            "tesaiot-publish bundle create --out dev -p 18883\n"
                                    + "mosquitto -c dev/broker/mosquitto.conf &\n"
                                    + "tesaiot-publish check --certs-dir dev --publish-test"}),
            "tesaiot-publish generate-completion", List.<String[]>of(
                    new String[] {"Completion in the current bash or zsh (zsh: after autoload -U +X bashcompinit && bashcompinit)",
                            "source <(tesaiot-publish generate-completion)"}));
}
