package com.tesaiot.publish.cli;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.app.FleetPlan;
import com.tesaiot.publish.app.FleetRun;
import com.tesaiot.publish.app.ReadingStart;
import com.tesaiot.publish.app.ScenarioMix;
import com.tesaiot.publish.app.Shard;
import com.tesaiot.publish.metrics.MetricsServer;
import com.tesaiot.publish.metrics.RunMetrics;
import com.tesaiot.publish.report.FleetReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code fleet}: every bundle of a directory as its own device, from one process or one shard of many. */
@Command(name = "fleet",
        versionProvider = VersionProvider.class,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        subcommands = FleetMergeCommand.class,
        description = {
            "Publishes as many devices at once as --bundles holds: each sub-folder (or .zip) is one device's bundle,"
                + " with its own connection (client id = device id), certificate, topic and telemetry. A bundle that"
                + " cannot be used is reported with its cause and left out. Make a fleet for a local broker with"
                + " `bundle create --devices N --out DIR`.",
            "Past one machine: --shard I/N runs one slice of the devices (sorted by id); in a Kubernetes Indexed Job"
                + " give --shards N and each pod takes its JOB_COMPLETION_INDEX. `fleet merge` combines the shards'"
                + " --output json reports."},
        footerHeading = "%nExit codes:%n")
final class FleetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bundles", paramLabel = "DIR",
            description = "Directory with one bundle per device: each sub-folder or .zip.")
    Path bundles;

    @Option(names = "--devices", paramLabel = "N", description = "Use only the first N devices (by device id).")
    Integer devices;

    @Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class,
            description = "Run shard I of N: the I-th of N slices of the devices sorted by id.")
    Shard shard;

    @Option(names = "--shards", paramLabel = "N",
            description = "The fleet is cut into N shards and this process runs the one JOB_COMPLETION_INDEX names,"
                    + " counting from 0 (a Kubernetes Indexed Job sets it in each pod).")
    Integer shards;

    @Option(names = "--job-completion-index", paramLabel = "I", hidden = true,
            description = "The pod's index from 0 (env JOB_COMPLETION_INDEX).")
    String jobCompletionIndex;

    @Mixin
    BrokerOptions broker = new BrokerOptions();

    @Mixin
    DeliveryOptions delivery = new DeliveryOptions();

    @Option(names = "--key-password", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = SecretOptions.ASK,
            description = "Password of the devices' encrypted client keys; prefer env KEY_PASSWORD, or give the flag"
                    + " alone to be asked.")
    char[] keyPassword;

    @Option(names = "--scenario-mix", paramLabel = "NAME=WEIGHT,...", defaultValue = "normal=100",
            converter = ScenarioMixConverter.class,
            description = "Share of the devices per patient scenario, e.g. normal=90,fever=5,afib=5; each device's"
                    + " scenario follows from its id (default ${DEFAULT-VALUE}).")
    ScenarioMix scenarioMix;

    @Option(names = "--connect-rate", paramLabel = "PER_SECOND", defaultValue = "20",
            description = "Devices that start connecting per second while the fleet ramps up (default ${DEFAULT-VALUE}).")
    BigDecimal connectRate;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve live Prometheus metrics at http://<this host>:PORT/metrics while the fleet runs:"
                    + " devices connected and refused, readings sent, acknowledged and failed, reconnects, connect and"
                    + " acknowledgement time histograms, labelled with the shard.")
    Integer metricsPort;

    @Option(names = "--start-at", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Begin the first readings at this instant (RFC 3339, e.g. 2026-12-01T20:00:00Z): every device"
                    + " connects first, then waits connected, so shards in several pods start their load together and"
                    + " the connect ramp does not overlap it.")
    Instant startAt;

    /** Whether the run printed its report (a failure before it has its JSON printed in the report's place). */
    boolean reportPrinted;

    @Override
    public Integer call() throws Failure, InterruptedException {
        FleetPlan plan = plan();
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new UsageErrors(spec).invalid("--metrics-port", "within 0..65535", metricsPort);
        }
        // --metrics-port serves the run's metrics while it goes; --start-at sets when the readings begin.
        ReadingStart start = startAt == null ? ReadingStart.WHEN_CONNECTED : ReadingStart.at(startAt);
        FleetReport report;
        try (MetricsServer server = metricsPort == null ? null
                : MetricsServer.start(metricsPort, plan.shard().map(Shard::toString).orElse("all"))) {
            FleetRun run = new FleetRun(plan, broker.settings(), spec.commandLine().getOut(), spec.commandLine().getErr(),
                    server == null ? RunMetrics.NONE : server.metrics(), start, ExitCodes::fleetLine);
            try {
                report = run.execute();
            } finally {
                reportPrinted = run.reportPrinted();
            }
        }
        return report.interrupted() ? ExitCodes.INTERRUPTED : ExitCodes.SUCCESS;
    }

    private FleetPlan plan() {
        UsageErrors usage = new UsageErrors(spec);
        if (bundles == null) {
            throw usage.error("give --bundles DIR: a directory with one bundle per device (make one with bundle create --devices N)");
        }
        if (devices != null && devices < 1) {
            throw usage.invalid("--devices", "1 or more", devices);
        }
        if (connectRate.signum() <= 0 || connectRate.compareTo(BigDecimal.valueOf(100_000)) > 0) {
            throw usage.invalid("--connect-rate", "above 0 and at most 100000 per second", connectRate.toPlainString());
        }
        broker.validate(usage);
        List<String> notes = new ArrayList<>();
        return new FleetPlan(bundles, Optional.ofNullable(devices), shard(usage),
                DeliveryResolver.resolve(delivery, broker, usage, notes), scenarioMix, connectRate.doubleValue(),
                Optional.ofNullable(keyPassword).filter(p -> p.length > 0), List.copyOf(notes));
    }

    /**
     * --shard, or --shards with the pod's JOB_COMPLETION_INDEX; an index without --shards is refused, and so is a
     * --shard that is not the pod's: every pod would run it, and the other shards' devices none. The index is read
     * here, not by picocli, so a bad one is named by its variable, not by the hidden flag the user never typed.
     */
    private Optional<Shard> shard(UsageErrors usage) {
        Integer index = null;
        if (jobCompletionIndex != null) {
            try {
                index = Integer.parseInt(jobCompletionIndex.strip());
            } catch (NumberFormatException e) {
                throw usage.error("JOB_COMPLETION_INDEX='" + jobCompletionIndex + "' is not a pod index (a whole"
                        + " number from 0, as a Kubernetes Indexed Job sets it)");
            }
        }
        if (shard != null) {
            if (shards != null && shards != shard.count()) {
                throw usage.error("--shard " + shard + " and --shards " + shards + " disagree on the number of shards");
            }
            if (index != null && index != shard.index() - 1) {
                throw usage.error("--shard " + shard + " disagrees with JOB_COMPLETION_INDEX=" + index
                        + (index >= 0 && index < shard.count() ? " (shard " + (index + 1) + "/" + shard.count() + ")" : "")
                        + ", which counts from 0: give --shards " + shard.count() + " alone to run each pod's own"
                        + " shard, or unset JOB_COMPLETION_INDEX");
            }
            return Optional.of(shard);
        }
        if (shards == null) {
            if (index != null) {
                throw usage.error("JOB_COMPLETION_INDEX=" + index + " is set (a Kubernetes Indexed Job):"
                        + " give --shards N, the Job's completions, to run this pod's shard");
            }
            return Optional.empty();
        }
        if (shards < 1) {
            throw usage.invalid("--shards", "1 or more", shards);
        }
        if (index == null) {
            throw usage.error("--shards " + shards + " needs the pod's index: JOB_COMPLETION_INDEX (set by a Kubernetes"
                    + " Indexed Job), or give --shard I/N");
        }
        if (index < 0 || index >= shards) {
            throw usage.error("JOB_COMPLETION_INDEX=" + index + " is not within 0.." + (shards - 1)
                    + " for --shards " + shards);
        }
        return Optional.of(Shard.ofCompletionIndex(index, shards));
    }

    /** An RFC 3339 date and time with its offset (Z or +hh:mm). */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return OffsetDateTime.parse(value.strip().toUpperCase(java.util.Locale.ROOT).replace(' ', 'T')).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an RFC 3339 time such as 2026-12-01T20:00:00Z");
            }
        }
    }

    /** I/N, checked. */
    static final class ShardConverter implements ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** name=weight,..., checked. */
    static final class ScenarioMixConverter implements ITypeConverter<ScenarioMix> {
        @Override
        public ScenarioMix convert(String value) {
            try {
                return ScenarioMix.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
