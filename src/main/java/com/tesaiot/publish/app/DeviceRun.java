package com.tesaiot.publish.app;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.metrics.RunMetrics;
import com.tesaiot.publish.bundle.CredentialBundle;
import com.tesaiot.publish.bundle.CredentialBundleReader;
import com.tesaiot.publish.bundle.DeviceId;
import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.mqtt.Topics;
import com.tesaiot.publish.report.ConsoleLog;
import com.tesaiot.publish.report.DeliveryTally;
import com.tesaiot.publish.report.DryRunOutput;
import com.tesaiot.publish.report.MessageLines;
import com.tesaiot.publish.report.Progress;
import com.tesaiot.publish.report.RunSummary;
import com.tesaiot.publish.telemetry.TelemetryStream;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

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
    /** Live metrics (--metrics-port); NONE when none are served. */
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
        DeliverySettings delivery = plan.delivery();
        String topic = delivery.topicFor(deviceId);
        TelemetryStream telemetry = new TelemetryStream(deviceId, plan.scenario(), delivery.seed(), delivery.interval());
        Instant start = clock.instant();
        DryRunOutput output = delivery.output() == OutputFormat.JSON ? DryRunOutput.oneObject(out, topic) : DryRunOutput.lines(out);
        for (long i = 0; i < delivery.count(); i++) {
            output.payload(telemetry.nextPayload(start.plus(delivery.interval().multipliedBy(i))));
        }
        output.finish();
        out.flush();
        log.info("Dry run: " + delivery.count() + " payload(s) for topic " + topic + " printed (scenario "
                + plan.scenario().cliName() + " seed " + delivery.seed() + "); nothing was sent");
        log.flush();
        return Ending.DELIVERED;
    }

    private Ending publish() throws Failure, InterruptedException {
        DeliverySettings delivery = plan.delivery();
        PreparedConnection connection = PreparedConnection.prepare(credentials, broker, log);
        CredentialBundle bundle = connection.bundle();
        Endpoint endpoint = connection.endpoint();
        String topic = delivery.topicFor(bundle.deviceId());
        Topics.requirePublishable(topic, delivery.topic().isPresent());
        DeliveryTally tally = new DeliveryTally(DeliveryTally.Story.onTheLog(log),
                delivery.output() == OutputFormat.JSONL ? MessageLines.jsonLines(out) : MessageLines.NONE);
        Progress progress = onTerminal && delivery.count() > 1
                ? Progress.liveLine(err, tally::acknowledged)
                : Progress.plain(log, !delivery.interval().isZero(), delivery.count(), tally::connectionDown);
        TelemetryStream telemetry = new TelemetryStream(bundle.deviceId(), plan.scenario(), delivery.seed(), delivery.interval());
        DeviceSession session = new DeviceSession(bundle.deviceId(), topic, delivery, telemetry, tally, new DeviceSession.Owner() {
            @Override
            public void making(long number, long total) {
                progress.sending(number, total);
            }

            @Override
            public void brokerGone() {
                log.warn("the broker has been unreachable for longer than the delivery timeout: no more readings are made");
            }
        }, log);
        session.recordInto(metrics);
        // The session closes before the stop signal: it disconnects, the outbox closes after every acknowledgement
        // that could still arrive, and only then may a signalled JVM exit.
        try (StopSignal stop = StopSignal.install()) {
            ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(DeviceRun::readingsThread);
            try {
                return publish(session, connection, stop, ticks, progress, tally);
            } finally {
                ticks.shutdownNow();
                session.close();
            }
        }
    }

    private Ending publish(DeviceSession session, PreparedConnection connection, StopSignal stop,
            ScheduledExecutorService ticks, Progress progress, DeliveryTally tally) throws Failure, InterruptedException {
        DeliverySettings delivery = plan.delivery();
        // The journal is read before connecting: a damaged one stops the run before anything is sent.
        if (delivery.outbox().isPresent()) {
            session.openOutbox(delivery.outbox().get());
        }
        long startNanos = System.nanoTime();
        log.info("Connecting to " + connection.endpoint() + " as " + connection.bundle().deviceId() + " over "
                + connection.tls().version().protocol() + ", topic " + delivery.topicFor(connection.bundle().deviceId())
                + ", QoS " + delivery.qos() + ", scenario " + plan.scenario().cliName() + " seed " + delivery.seed());
        if (!session.connect(connection.settings(delivery.maxInflight(), delivery.deliveryTimeout(), delivery.stallFloor()),
                stop::requested, null)) {
            // Stopped while connecting: nothing was sent, and the summary says so at once.
            report(session.summary(Duration.ofNanos(System.nanoTime() - startNanos), true));
            return Ending.STOPPED;
        }
        metrics.connected(System.nanoTime() - startNanos);
        stop.whenRequested(session::stop);
        startNanos = System.nanoTime();
        if (session.recoveredCount() > 0) {
            log.info("Sending first " + session.recoveredCount() + " unacknowledged reading(s) from outbox "
                    + session.outboxDirectory().orElseThrow());
        }
        session.start(ticks, Duration.ZERO);
        session.awaitMadeAll();
        progress.finish();
        // Every message settles within its delivery timeout; a stopped run waits only briefly.
        Duration wait = delivery.deliveryTimeout().plusSeconds(1);
        if (!session.awaitOutstanding(System.nanoTime() + wait.toNanos()) && !stop.requested()) {
            log.warn("gave up waiting for acknowledgements after " + wait.toSeconds() + " s");
        }
        RunSummary summary = session.summary(Duration.ofNanos(System.nanoTime() - startNanos), stop.requested());
        report(summary);
        Optional<Failure> failure = session.failure(connection.endpoint(), stop.requested());
        if (failure.isPresent()) {
            throw failure.get();
        }
        return stop.requested() ? Ending.STOPPED : Ending.DELIVERED;
    }

    private static Thread readingsThread(Runnable r) {
        Thread t = new Thread(r, "tesaiot-publish-readings");
        t.setDaemon(true);
        return t;
    }

    /** Whether the summary was printed: a failure after it has no summary of its own to print. */
    public boolean summaryReported() {
        return summaryReported;
    }

    private void report(RunSummary summary) {
        summaryReported = true;
        log.info(summary.line());
        log.flush();
        if (plan.delivery().output() != OutputFormat.TEXT) {
            out.println(summary.json());
            out.flush();
        }
    }
}
