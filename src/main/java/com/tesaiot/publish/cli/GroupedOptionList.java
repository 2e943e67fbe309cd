package com.tesaiot.publish.cli;

import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The help's option list, grouped as a user thinks of the options (credentials, broker, schedule, ...), and
 * wrapped only at spaces, so that {@code endpoints.json} or {@code ca-chain.pem} never breaks at its dot as
 * picocli's own layout does.
 */
final class GroupedOptionList implements IHelpSectionRenderer {
    private static final int NAME_COLUMN = 28;

    private static final Map<String, List<String>> GROUPS = groups();

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("Credentials", List.of("--certs-dir", "--device-id", "--ca-file", "--client-cert", "--client-key",
                "--device-file", "--key-password"));
        g.put("Broker", List.of("--broker-host", "--broker-port", "--url", "--tls-version", "--username", "--password",
                "--insecure", "--connect-timeout"));
        g.put("Schedule", List.of("--count", "--once", "--interval", "--period"));
        g.put("Telemetry", List.of("--topic", "--qos", "--scenario", "--list-scenarios", "--seed", "--dry-run"));
        g.put("Delivery", List.of("--max-inflight", "--delivery-timeout", "--outbox", "--publish-test"));
        g.put("Output", List.of("--output", "--verbose"));
        return g;
    }

    /** Puts this list in place of picocli's on {@code spec}. */
    static void install(CommandSpec spec) {
        spec.usageMessage().sectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, new GroupedOptionList());
    }

    @Override
    public String render(Help help) {
        CommandSpec spec = help.commandSpec();
        int width = spec.usageMessage().width();
        Map<String, List<OptionSpec>> grouped = new LinkedHashMap<>();
        List<OptionSpec> other = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            String group = GROUPS.entrySet().stream().filter(e -> e.getValue().contains(option.longestName()))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (group == null) {
                other.add(option);
            } else {
                grouped.computeIfAbsent(group, k -> new ArrayList<>()).add(option);
            }
        }
        StringBuilder out = new StringBuilder();
        // Within a group, in the group's own order: picocli lists a mixin's setter options after its fields.
        grouped.forEach((group, options) -> options.sort(java.util.Comparator.comparingInt(o -> GROUPS.get(group).indexOf(o.longestName()))));
        GROUPS.keySet().stream().filter(grouped::containsKey).forEach(group -> section(out, group, grouped.get(group), width));
        if (!other.isEmpty()) {
            section(out, grouped.isEmpty() ? "Options" : "Other", other, width);
        }
        return out.append('\n').toString();
    }

    private static void section(StringBuilder out, String heading, List<OptionSpec> options, int width) {
        out.append('\n').append(heading).append(":\n");
        for (OptionSpec option : options) {
            String names = "  " + String.join(", ", option.names()) + parameter(option);
            String description = String.join(" ", option.description())
                    .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()));
            List<String> lines = wrap(description, Math.max(20, width - NAME_COLUMN));
            if (names.length() + 2 > NAME_COLUMN) {
                out.append(names).append('\n');
            } else {
                out.append(pad(names, NAME_COLUMN)).append(lines.remove(0)).append('\n');
            }
            lines.forEach(line -> out.append(" ".repeat(NAME_COLUMN)).append(line).append('\n'));
        }
    }

    private static String parameter(OptionSpec option) {
        if (option.arity().max() == 0) {
            return "";
        }
        String label = option.paramLabel();
        return option.arity().min() == 0 && !option.hideParamSyntax() ? "[=" + label + "]" : "=" + label;
    }

    /** Words as they are, lines broken only at spaces. */
    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" +")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
