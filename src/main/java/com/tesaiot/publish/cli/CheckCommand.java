package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.CheckRun;
import com.tesaiot.publish.app.OutputFormat;
import com.tesaiot.publish.report.CheckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code check}: the bundle and every step on the way to the broker, one line each, stopping at the first failure. */
@Command(name = "check",
        versionProvider = VersionProvider.class,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Checks the credential bundle and each step to the broker: bundle, DNS, TCP, TLS handshake, MQTT CONNECT"
                + " and, with --publish-test, one acknowledged message. One line per step (✓ passed, ! warning,"
                + " ✗ failed); stops at the first failure and says how to fix it. Takes the same bundle and broker"
                + " options (and environment variables) as publishing."},
        footerHeading = "%nExit codes (as for publishing):%n")
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BundleOptions bundle = new BundleOptions();

    @Mixin
    BrokerOptions broker = new BrokerOptions();

    @Option(names = "--publish-test",
            description = "Also publish one telemetry message (QoS 1) and wait for the broker's acknowledgement.")
    boolean publishTest;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "Topic of the --publish-test message (env TOPIC; default device/{device_id}/telemetry).")
    String topic;

    @Option(names = "--output", paramLabel = "text|json|jsonl", defaultValue = "text",
            completionCandidates = OutputFormatConverter.class,
            description = "text: the checklist (default); json: the same as one JSON object, for CI; jsonl: a JSON"
                    + " line per step as it ends, then one with the result.")
    OutputFormat output;

    @Override
    public Integer call() throws InterruptedException {
        UsageErrors usage = new UsageErrors(spec);
        broker.validate(usage);
        CheckReport report = new CheckReport(spec.commandLine().getOut(), switch (output) {
            case TEXT -> CheckReport.Format.TEXT;
            case JSON -> CheckReport.Format.JSON;
            case JSONL -> CheckReport.Format.JSONL;
        });
        Optional<String> typedTopic = topic == null || topic.isBlank() ? Optional.empty() : Optional.of(topic.strip());
        return new CheckRun(bundle.credentials(), broker.settings(), publishTest, broker.topic(typedTopic, usage), report,
                spec.commandLine().getErr(), verbose(), ExitCodes.INSTANCE).execute();
    }

    /** --verbose is the root command's, inherited: read it from this command's copy of the option. */
    private boolean verbose() {
        OptionSpec option = spec.findOption("--verbose");
        return option != null && Boolean.TRUE.equals(option.getValue());
    }
}
