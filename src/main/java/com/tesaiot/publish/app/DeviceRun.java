package com.tesaiot.publish.app;

import com.tesaiot.publish.Causes;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.metrics.RunMetrics;
import com.tesaiot.publish.bundle.CredentialBundle;
import com.tesaiot.publish.bundle.CredentialBundleReader;
import com.tesaiot.publish.bundle.DeviceId;
import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.mqtt.ConnectionSettings;
import com.tesaiot.publish.mqtt.MqttPublisher;
import com.tesaiot.publish.mqtt.Outbox;
import com.tesaiot.publish.mqtt.Topics;
import com.tesaiot.publish.report.ConsoleLog;
import com.tesaiot.publish.report.DeliveryTally;
import com.tesaiot.publish.report.MessageLines;
import com.tesaiot.publish.report.Progress;
import com.tesaiot.publish.report.RunSummary;
import com.tesaiot.publish.telemetry.TelemetryStream;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One device's run, start to end: bundle, TLS, connection, outbox recovery, the paced stream of readings, and the
 * summary. Plain values in; the front end decides what its ending means as an exit code.
 */
public final class DeviceRun {

    /** How a run that did not fail ended. */
    public enum Ending {
        /** Every reading acknowledged, or a dry run printed. */
        DELIVERED,
        /** Stopped by Ctrl-C or SIGTERM, after the summary. */
        STOPPED
    }

    private final RunPlan plan;
    private final DeviceCredentials credentials;
    private final BrokerSettings broker;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ConsoleLog log;
    /** Standard error is a terminal a person watches (not a pipe, a file or CI's log). */
    private final boolean onTerminal = Terminal.isStandardError();
    private final Clock clock = Clock.systemUTC();
    private volatile boolean summaryReported;
    // fleet-engine hook: live metrics (--metrics-port); NONE when not served.
    private final RunMetrics metrics;

    public DeviceRun(RunPlan plan, DeviceCredentials credentials, BrokerSettings broker, PrintWriter out, PrintWriter err) {
        this(plan, credentials, broker, out, err, RunMetrics.NONE);
    }

    public DeviceRun(RunPlan plan, DeviceCredentials credentials, BrokerSettings broker, PrintWriter out, PrintWriter err,
            RunMetrics metrics) {
        this.metrics = metrics;
        this.plan = plan;
        this.credentials = credentials;
        this.broker = broker;
        this.out = out;
        this.err = err;
        this.log = new ConsoleLog(err, clock);
    }

    /**
     * Runs to the end. A run in which some reading was not acknowledged prints its summary, then throws a
     * {@link Failure.Kind#NOT_DELIVERED} failure saying why.
     */
    public Ending execute() throws Failure, InterruptedException {
        plan.notes().forEach(log::warn);
        return plan.dryRun() ? dryRun() : publish();
    }

    /**
     * Prints exactly the payloads a real run would send, stamped with the times it would send them, without
     * waiting out the intervals and without opening a connection.
     */
    private Ending dryRun() throws Failure {
        DeviceId id = CredentialBundleReader.readDeviceId(credentials.location(), credentials.deviceId());
        id.notes().forEach(log::warn);
        String deviceId = id.value();
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
        return Ending.DELIVERED;
    }

    private Ending publish() throws Failure, InterruptedException {
        PreparedConnection connection = PreparedConnection.prepare(credentials, broker, log);
        CredentialBundle bundle = connection.bundle();
        Endpoint endpoint = connection.endpoint();
        String topic = plan.topicFor(bundle.deviceId());
        Topics.requirePublishable(topic, plan.topic().isPresent());
        ConnectionSettings settings = connection.settings(plan.maxInflight(), plan.deliveryTimeout(), plan.stallFloor());
        DeliveryTally tally = new DeliveryTally(log,
                plan.output() == OutputFormat.JSONL ? MessageLines.jsonLines(out) : MessageLines.NONE);
        Progress progress = onTerminal && plan.count() > 1
                ? Progress.liveLine(err, tally::acknowledged)
                : Progress.plain(log, !plan.interval().isZero(), plan.count(), tally::connectionDown);
        TelemetryStream telemetry = new TelemetryStream(bundle.deviceId(), plan.scenario(), plan.seed(), plan.interval());

        log.info("Connecting to " + endpoint + " as " + bundle.deviceId() + " over " + connection.tls().version().protocol()
                + ", topic " + topic + ", QoS " + plan.qos() + ", scenario " + plan.scenario().cliName()
                + " seed " + plan.seed());
        // Closed in reverse: the publisher disconnects, the outbox closes after every acknowledgement that could
        // still arrive, and only then may a signalled JVM exit.
        try (StopSignal stop = StopSignal.install();
             Outbox outbox = plan.outbox().isPresent() ? Outbox.open(plan.outbox().get()) : null) {
            // The journal is read before connecting: a damaged one stops the run before anything is sent.
            List<Outbox.StoredMessage> recovered = List.of();
            if (outbox != null) {
                Outbox.Recovery recovery = outbox.recover(plan.skipUnreadableOutboxLines());
                recovery.damage(outbox.journal()).ifPresent(damage -> log.warn(damage + "; going on without them"));
                recovered = recovery.messages();
                requireOwnReadings(recovered, topic);
            }
            long startNanos = System.nanoTime();
            Optional<MqttPublisher> connected = MqttPublisher.connect(settings,
                    metrics.recording(outbox == null ? tally : outbox.striking(tally)), stop::requested);
            connected.ifPresent(c -> metrics.connected(System.nanoTime() - startNanos));
            if (connected.isEmpty()) {
                // Stopped while connecting: nothing was sent, and the summary says so at once.
                report(summarise(recovered.size() + plan.count(), tally, 0, startNanos, true));
                return Ending.STOPPED;
            }
            try (MqttPublisher publisher = connected.get()) {
                return publish(stop, outbox, recovered, publisher, tally, progress, telemetry, topic, endpoint);
            }
        }
    }

    /**
     * Readings another device (or a run with another topic) left in the outbox are not this run's to send: over
     * this connection they would reach another broker or be refused by the ACL, and be struck off the journal.
     */
    private void requireOwnReadings(List<Outbox.StoredMessage> recovered, String topic) throws Failure {
        List<String> foreign = recovered.stream().map(Outbox.StoredMessage::topic).filter(t -> !t.equals(topic))
                .distinct().toList();
        if (!foreign.isEmpty()) {
            long count = recovered.stream().filter(m -> !m.topic().equals(topic)).count();
            throw new Failure(Failure.Kind.USAGE, "outbox " + plan.outbox().orElseThrow() + " holds " + count
                    + " unacknowledged reading(s) for topic '" + foreign.get(0) + "'" + (foreign.size() > 1 ? " and others" : "")
                    + ", not this run's '" + topic + "': they are another device's or another run's; give this run an"
                    + " outbox of its own, or send them with the device and topic that made them");
        }
    }

    private Ending publish(StopSignal stop, Outbox outbox, List<Outbox.StoredMessage> recovered, MqttPublisher publisher,
            DeliveryTally tally, Progress progress, TelemetryStream telemetry, String topic, Endpoint endpoint)
            throws Failure, InterruptedException {
        long sent = 0;
        Failure diskFailure = null;
        stop.whenRequested(publisher::stopWaiting);
        long startNanos = System.nanoTime();
        if (!recovered.isEmpty()) {
            log.info("Sending first " + recovered.size() + " unacknowledged reading(s) from outbox " + plan.outbox().get());
        }
        long planned = recovered.size() + plan.count();
        for (int i = 0; i < recovered.size() && !stop.requested() && !publisher.abandoned() && !publisher.brokerGone(); i++) {
            Outbox.StoredMessage m = recovered.get(i);
            if (!publisher.publish(m.topic(), m.payload(), m.qos(), i)) {
                break;
            }
            sent++;
            metrics.sent();
        }
        long runStart = System.nanoTime();
        for (long i = 0; i < plan.count() && !stop.requested() && !publisher.abandoned(); i++) {
            long dueNanos = runStart + plan.interval().toNanos() * i;
            waitUntil(dueNanos, stop);
            if (publisher.brokerGone()) {
                log.warn("the broker has been unreachable for longer than the delivery timeout: no more readings are made");
                break;
            }
            if (stop.requested()) {
                break;
            }
            progress.sending(i + 1, plan.count());
            // The reading's delivery timeout runs from now, when it is made: at its due time in a paced run, and
            // as soon as the window lets the loop on at --interval 0, where every reading is "due" at the start.
            long madeNanos = System.nanoTime();
            byte[] payload = telemetry.nextPayload(clock.instant());
            long sequence = recovered.size() + i;
            if (outbox != null) {
                try {
                    outbox.sent(sequence, topic, plan.qos(), payload);
                } catch (Failure e) {
                    diskFailure = e; // not sent: a reading the journal cannot hold could be lost by a kill
                    break;
                }
            }
            if (!publisher.publish(topic, payload, plan.qos(), sequence, madeNanos)) {
                break;
            }
            sent++;
            metrics.sent();
        }
        progress.finish();
        // Every message settles within its delivery timeout; a stopped run waits only briefly.
        Duration wait = plan.deliveryTimeout().plusSeconds(1);
        if (!publisher.awaitOutstanding(wait) && !stop.requested()) {
            log.warn("gave up waiting for acknowledgements after " + wait.toSeconds() + " s");
        }
        RunSummary summary = summarise(planned, tally, sent, startNanos, stop.requested());
        report(summary);
        if (diskFailure == null && outbox != null) {
            diskFailure = outbox.writeFailure().orElse(null);
        }
        if (diskFailure != null) {
            throw diskFailure;
        }
        if (stop.requested()) {
            return Ending.STOPPED;
        }
        if (summary.allDelivered()) {
            return Ending.DELIVERED;
        }
        if (publisher.abandoned()) {
            throw publisher.aclDenial(topic);
        }
        if (publisher.reconnectRefusal().isPresent()) {
            Failure refusal = publisher.reconnectRefusal().get();
            throw new Failure(refusal.kind(), refusal.input().orElse(null), (summary.planned() - summary.acknowledged())
                    + " message(s) not acknowledged: on reconnecting, " + refusal.getMessage(), refusal.getCause());
        }
        Throwable cause = tally.firstFailure() != null ? tally.firstFailure() : publisher.lastConnectionLoss();
        throw new Failure(Failure.Kind.NOT_DELIVERED, (summary.planned() - summary.acknowledged())
                + " message(s) not acknowledged by " + endpoint
                + (cause == null ? "" : ": " + Causes.describe(cause))
                + (outbox == null ? "" : "; they stay in the outbox for the next run"));
    }

    private RunSummary summarise(long planned, DeliveryTally tally, long sent, long startNanos, boolean interrupted) {
        long unaccounted = Math.max(0, sent - tally.acknowledged() - tally.failed());
        return new RunSummary(planned, sent, tally.acknowledged(), tally.failed(), unaccounted,
                tally.redelivered(), tally.reconnects(), Duration.ofNanos(System.nanoTime() - startNanos), plan.qos(),
                tally.latency(), interrupted);
    }

    /** Whether the summary was printed: a failure after it has no summary of its own to print. */
    public boolean summaryReported() {
        return summaryReported;
    }

    private void report(RunSummary summary) {
        summaryReported = true;
        log.info(summary.line());
        log.flush();
        if (plan.output() != OutputFormat.TEXT) {
            out.println(summary.json());
            out.flush();
        }
    }

    /** Fixed-rate pacing: message i is due at start + i x interval, so a long run does not drift. */
    private static void waitUntil(long dueNanos, StopSignal stop) throws InterruptedException {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            stop.await(wait);
        }
    }

}
