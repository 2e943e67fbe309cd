package com.tesaiot.publish.cli;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.app.DeviceRun;
import com.tesaiot.publish.app.OutputFormat;
import com.tesaiot.publish.app.RunPlan;
import com.tesaiot.publish.metrics.MetricsServer;
import com.tesaiot.publish.metrics.RunMetrics;
import com.tesaiot.publish.telemetry.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Mixin
    DeliveryOptions delivery = new DeliveryOptions();

    // fallbackValue: the flag means true even when DRY_RUN=1 made true the default (picocli otherwise sets a flag to
    // the opposite of its default, and --dry-run with DRY_RUN=1 would publish).
    @Option(names = "--dry-run", converter = FlagConverter.class, defaultValue = "false", fallbackValue = "true",
            description = "Print the payloads, one JSON object per line, and connect to nothing (env DRY_RUN=1).")
    boolean dryRun;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "normal", completionCandidates = ScenarioNames.class,
            description = "Patient scenario (env SCENARIO; default ${DEFAULT-VALUE}); see --list-scenarios.")
    String scenario;

    @Option(names = "--list-scenarios", description = "List the scenarios with their thresholds, and exit.")
    boolean listScenarios;

    @Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "On failure, also print the stack trace.")
    boolean verbose;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve live Prometheus metrics at http://<this host>:PORT/metrics while the run goes: readings"
                    + " sent, acknowledged and failed, reconnects, connect and acknowledgement time histograms.")
    Integer metricsPort;

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
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new UsageErrors(spec).invalid("--metrics-port", "within 0..65535", metricsPort);
        }
        DeviceRun.Ending ending;
        // --metrics-port serves the run's metrics while it goes.
        try (MetricsServer server = metricsPort == null ? null : MetricsServer.start(metricsPort, "all")) {
            DeviceRun run = new DeviceRun(plan, bundle.credentials(), broker.settings(), spec.commandLine().getOut(),
                    spec.commandLine().getErr(), server == null ? RunMetrics.NONE : server.metrics());
            try {
                ending = run.execute();
            } finally {
                summaryPrinted = run.summaryReported();
            }
        }
        return ending == DeviceRun.Ending.STOPPED ? ExitCodes.INTERRUPTED : ExitCodes.SUCCESS;
    }
}
