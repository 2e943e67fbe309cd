package com.tesaiot.publish.cli;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.app.DeviceRun;
import com.tesaiot.publish.app.OutputFormat;
import com.tesaiot.publish.app.RunPlan;
import com.tesaiot.publish.telemetry.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.math.BigDecimal;
import java.util.concurrent.Callable;

/** The command line: every option of the original script, each also readable from its environment variable. */
@Command(name = "tesaiot-publish",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Publishes medical telemetry to the TESAIoT platform's MQTT broker over mutual TLS,"
                + " over one connection, and accounts for every acknowledgement.",
        footerHeading = "%nExit codes:%n")
final class PublishCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BundleOptions bundle = new BundleOptions();

    @Mixin
    BrokerOptions broker = new BrokerOptions();

    @Option(names = "--count", paramLabel = "N",
            description = "Number of messages (env COUNT; default 1).")
    Long count;

    @Option(names = "--once", description = "Publish one message (the same as --count 1).")
    boolean once;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between messages, decimals allowed, 0 for as fast as the broker acknowledges"
                    + " (env INTERVAL; default ${DEFAULT-VALUE}).")
    BigDecimal interval;

    @Option(names = "--period", paramLabel = "MINUTES",
            description = "Publish for this many minutes: count = max(1, floor(period*60 / interval)); an interval of 0"
                    + " counts as 5 here (env PERIOD_MIN).")
    BigDecimal period;

    @Option(names = "--dry-run", converter = FlagConverter.class, defaultValue = "false",
            description = "Print the payloads, one JSON object per line, and connect to nothing (env DRY_RUN=1).")
    boolean dryRun;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "Topic (env TOPIC; default device/{device_id}/telemetry).")
    String topic;

    @Option(names = "--qos", paramLabel = "0|1|2", defaultValue = "1",
            description = "MQTT quality of service (env QOS; default ${DEFAULT-VALUE}).")
    int qos;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "normal",
            description = "Patient scenario (env SCENARIO; default ${DEFAULT-VALUE}); see --list-scenarios.")
    String scenario;

    @Option(names = "--list-scenarios", description = "List the scenarios with their thresholds, and exit.")
    boolean listScenarios;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed for the telemetry, for the same values on every run (env SEED; default random).")
    Long seed;

    @Option(names = "--max-inflight", paramLabel = "N", defaultValue = "100",
            description = "QoS 1/2 messages awaiting acknowledgement at once (default ${DEFAULT-VALUE}).")
    int maxInflight;

    @Option(names = "--delivery-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "A message not acknowledged this many seconds after it was first sent, reconnects"
                    + " included, counts as failed (default ${DEFAULT-VALUE}).")
    int deliveryTimeoutSeconds;

    @Option(names = "--outbox", paramLabel = "DIR",
            description = "Keep unacknowledged readings in DIR, so that a killed run loses none: the next run with"
                    + " the same outbox sends them first.")
    java.nio.file.Path outbox;

    @Option(names = "--skip-unreadable-outbox-lines",
            description = "Go on when the outbox journal has lines that cannot be read: they are kept verbatim in a"
                    + " file beside it, and the readable readings are sent (without it, such a journal stops the run).")
    boolean skipUnreadableOutboxLines;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "While messages await acknowledgement and none arrives for this long (or longer, when the"
                    + " broker's acknowledgements have been slower), the connection counts as stalled: it is dropped"
                    + " and redone, and the unacknowledged messages sent again (default ${DEFAULT-VALUE}).")
    BigDecimal stallFloorSeconds;

    @Option(names = "--output", paramLabel = "text|json|jsonl", defaultValue = "text",
            description = "text: a closing summary line on stderr; json: the summary as one JSON object on stdout;"
                    + " jsonl: also a JSON line per message on stdout (default ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "On failure, also print the stack trace.")
    boolean verbose;

    /** Whether the run printed its summary (a failure after it must not print a second JSON object). */
    boolean summaryPrinted;

    @Override
    public Integer call() throws Failure, InterruptedException {
        if (listScenarios) {
            for (Scenario s : Scenario.values()) {
                spec.commandLine().getOut().printf("%-16s %s%n", s.cliName(), s.description());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
        RunPlan plan = RunPlanResolver.resolve(this);
        DeviceRun run = new DeviceRun(plan, bundle.credentials(), broker.settings(), spec.commandLine().getOut(),
                spec.commandLine().getErr());
        DeviceRun.Ending ending;
        try {
            ending = run.execute();
        } finally {
            summaryPrinted = run.summaryReported();
        }
        return ending == DeviceRun.Ending.STOPPED ? ExitCodes.INTERRUPTED : ExitCodes.SUCCESS;
    }
}
