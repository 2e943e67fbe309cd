package com.tesaiot.publish.cli;

import com.tesaiot.publish.ExitStatus;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.CredentialBundle;
import com.tesaiot.publish.bundle.CredentialBundleReader;
import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.mqtt.ConnectionSettings;
import com.tesaiot.publish.mqtt.MqttPublisher;
import com.tesaiot.publish.report.ConsoleLog;
import com.tesaiot.publish.report.DeliveryTally;
import com.tesaiot.publish.report.RunSummary;
import com.tesaiot.publish.telemetry.TelemetryStream;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** One run, start to end: bundle, TLS, connection, the paced stream of readings, and the summary. */
final class PublishRun {
    /** Beyond this many messages sent back to back, a line per message would drown the terminal. */
    private static final long PER_MESSAGE_LINES_UP_TO = 100;
    private static final Duration MIN_ACK_WAIT = Duration.ofSeconds(10);

    private final RunPlan plan;
    private final BundleOptions bundleOptions;
    private final BrokerOptions brokerOptions;
    private final PrintWriter out;
    private final ConsoleLog log;
    private final Clock clock = Clock.systemUTC();

    PublishRun(RunPlan plan, BundleOptions bundleOptions, BrokerOptions brokerOptions, PrintWriter out, PrintWriter err) {
        this.plan = plan;
        this.bundleOptions = bundleOptions;
        this.brokerOptions = brokerOptions;
        this.out = out;
        this.log = new ConsoleLog(err, clock);
    }

    int execute() throws Failure, InterruptedException {
        return plan.dryRun() ? dryRun() : publish();
    }

    /**
     * Prints exactly the payloads a real run would send, stamped with the times it would send them, without
     * waiting out the intervals and without opening a connection.
     */
    private int dryRun() throws Failure {
        String deviceId = bundleOptions.givenDeviceId().isPresent() ? bundleOptions.givenDeviceId().get()
                : CredentialBundleReader.readDeviceId(bundleOptions.location().deviceIdFile());
        TelemetryStream telemetry = new TelemetryStream(deviceId, plan.scenario(), plan.seed(), plan.interval());
        Instant start = clock.instant();
        for (long i = 0; i < plan.count(); i++) {
            out.println(new String(telemetry.nextPayload(start.plus(plan.interval().multipliedBy(i))),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        out.flush();
        log.info("Dry run: " + plan.count() + " payload(s) for topic " + plan.topicFor(deviceId) + " printed (scenario "
                + plan.scenario().cliName() + " seed " + plan.seed() + "); nothing was sent");
        log.flush();
        return ExitStatus.SUCCESS.code();
    }

    private int publish() throws Failure, InterruptedException {
        PreparedConnection connection = PreparedConnection.prepare(bundleOptions, brokerOptions, log);
        CredentialBundle bundle = connection.bundle();
        Endpoint endpoint = connection.endpoint();
        String topic = plan.topicFor(bundle.deviceId());
        ConnectionSettings settings = connection.settings(plan.maxInflight());
        boolean perMessageLines = plan.count() <= PER_MESSAGE_LINES_UP_TO || !plan.interval().isZero();
        DeliveryTally tally = new DeliveryTally();
        TelemetryStream telemetry = new TelemetryStream(bundle.deviceId(), plan.scenario(), plan.seed(), plan.interval());

        log.info("Connecting to " + endpoint + " as " + bundle.deviceId() + " over " + connection.tls().version().protocol()
                + ", topic " + topic + ", QoS " + plan.qos() + ", scenario " + plan.scenario().cliName()
                + " seed " + plan.seed());
        long startNanos = System.nanoTime();
        long sent = 0;
        Failure lost = null;
        try (MqttPublisher publisher = MqttPublisher.connect(settings, tally)) {
            long runStart = System.nanoTime();
            for (long i = 0; i < plan.count(); i++) {
                waitUntil(runStart + plan.interval().toNanos() * i);
                if (perMessageLines) {
                    log.info("Publishing sample " + (i + 1) + "/" + plan.count());
                } else if ((i + 1) % Math.max(1, plan.count() / 10) == 0) {
                    log.info("Published " + (i + 1) + "/" + plan.count());
                }
                try {
                    publisher.publish(topic, telemetry.nextPayload(clock.instant()), plan.qos(), i);
                    sent++;
                } catch (Failure f) {
                    lost = f;
                    break;
                }
            }
            Duration ackWait = settings.connectTimeout().compareTo(MIN_ACK_WAIT) > 0 ? settings.connectTimeout() : MIN_ACK_WAIT;
            if (lost == null && !publisher.awaitOutstanding(ackWait)) {
                log.warn("gave up waiting for acknowledgements after " + ackWait.toSeconds() + " s");
            }
            if (lost == null && publisher.connectionLoss() != null) {
                lost = tally.acknowledged() == 0
                        ? new Failure(ExitStatus.NOT_DELIVERED, endpoint + " closed the connection right after our first"
                                + " PUBLISH to '" + topic + "': its ACL probably denies that topic to " + bundle.deviceId()
                                + " (EMQX disconnects on a denied publish)", publisher.connectionLoss())
                        : publisher.lostConnectionFailure();
            }
        }
        long unaccounted = sent - tally.acknowledged() - tally.failed();
        RunSummary summary = new RunSummary(plan.count(), sent, tally.acknowledged(), tally.failed(), Math.max(0, unaccounted),
                Duration.ofNanos(System.nanoTime() - startNanos), plan.qos(), tally.meanLatencyNanos(), tally.maxLatencyNanos());
        log.info(summary.line());
        log.flush();
        if (summary.allDelivered()) {
            return ExitStatus.SUCCESS.code();
        }
        if (lost != null) {
            throw lost;
        }
        throw new Failure(ExitStatus.NOT_DELIVERED, (plan.count() - summary.acknowledged())
                + " message(s) not acknowledged by " + endpoint);
    }

    /** Fixed-rate pacing: message i is due at start + i x interval, so a long run does not drift. */
    private static void waitUntil(long dueNanos) throws InterruptedException {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

}
