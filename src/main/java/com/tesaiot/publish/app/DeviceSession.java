package com.tesaiot.publish.app;

import com.tesaiot.publish.Causes;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.metrics.RunMetrics;
import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.mqtt.ConnectionSettings;
import com.tesaiot.publish.mqtt.DeliveryListener;
import com.tesaiot.publish.mqtt.MqttPublisher;
import com.tesaiot.publish.mqtt.SharedTimers;
import com.tesaiot.publish.outbox.Outbox;
import com.tesaiot.publish.outbox.Recovery;
import com.tesaiot.publish.outbox.StoredMessage;
import com.tesaiot.publish.report.ConsoleLog;
import com.tesaiot.publish.report.DeliveryTally;
import com.tesaiot.publish.report.RunSummary;
import com.tesaiot.publish.telemetry.TelemetryStream;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One device's readings from its outbox and connection to its ending, the same for {@code publish} and for every
 * device of a {@code fleet}: readings left in the outbox sent first, new readings made at a fixed rate on a
 * scheduler (the run's own, or the fleet's shared one), no more made once the broker is gone past the delivery
 * timeout, every fate counted, and the one decision of how the device's run ended.
 */
final class DeviceSession {
    /**
     * Readings made in one turn of the scheduler before it lets other devices' turns run: at {@code --interval 0}
     * every reading is due at once, and a fleet's devices share the scheduler's threads.
     */
    private static final int READINGS_PER_TURN = 64;

    /** What the owner of a session hears of it. */
    interface Owner {
        /** Reading {@code number} (from 1) of {@code total} is about to be made. */
        default void making(long number, long total) {
        }

        /** No more readings are made: the connection has been down for longer than the delivery timeout. */
        default void brokerGone() {
        }

        /** The session has made (or stopped making) its readings; acknowledgements may still arrive. */
        default void madeAll() {
        }
    }

    private final String deviceId;
    private final String topic;
    private final DeliverySettings settings;
    private final TelemetryStream telemetry;
    private final DeliveryTally tally;
    private final Owner owner;
    private final ConsoleLog log;
    private final Clock clock = Clock.systemUTC();
    private final CountDownLatch madeAll = new CountDownLatch(1);
    private Outbox outbox;
    private Optional<Path> outboxDirectory = Optional.empty();
    private List<StoredMessage> recovered = List.of();
    private volatile MqttPublisher publisher;
    private volatile boolean stopping;
    private volatile Failure diskFailure;
    /** At QoS 0: why what was written is not known to have arrived, when it is not. */
    private volatile Failure writtenInDoubt;
    private volatile ScheduledFuture<?> nextTurn;
    /** Touched by one scheduler turn at a time: each turn schedules the next. */
    private int resent;
    private long made;
    /** This run's readings written to the outbox journal. */
    private volatile long journaled;
    private long firstDueNanos;
    /** Live metrics (--metrics-port); NONE when none are served. */
    private RunMetrics metrics = RunMetrics.NONE;

    DeviceSession(String deviceId, String topic, DeliverySettings settings, TelemetryStream telemetry, DeliveryTally tally,
            Owner owner, ConsoleLog log) {
        this.deviceId = deviceId;
        this.topic = topic;
        this.settings = settings;
        this.telemetry = telemetry;
        this.tally = tally;
        this.owner = owner;
        this.log = log;
    }

    /**
     * Opens the device's outbox journal in {@code directory} and reads what earlier runs left unacknowledged,
     * before anything is sent: a damaged journal, or one holding another device's readings, stops the device here.
     */
    void openOutbox(Path directory) throws Failure {
        outbox = Outbox.open(directory);
        outboxDirectory = Optional.of(directory);
        Recovery recovery = outbox.recover(settings.skipUnreadableOutboxLines());
        recovery.damage(outbox.journal()).ifPresent(damage -> log.warn(damage + "; going on without them"));
        recovered = recovery.messages();
        requireOwnReadings(directory);
    }

    /**
     * Readings another device (or a run with another topic) left in the outbox are not this run's to send: over
     * this connection they would reach another broker or be refused by the ACL, and be struck off the journal.
     */
    private void requireOwnReadings(Path directory) throws Failure {
        List<String> foreign = recovered.stream().map(StoredMessage::topic).filter(t -> !t.equals(topic))
                .distinct().toList();
        if (!foreign.isEmpty()) {
            long count = recovered.stream().filter(m -> !m.topic().equals(topic)).count();
            throw new Failure(Failure.Kind.USAGE, "outbox " + directory + " holds " + count
                    + " unacknowledged reading(s) for topic '" + foreign.get(0) + "'" + (foreign.size() > 1 ? " and others" : "")
                    + ", not this run's '" + topic + "': they are another device's or another run's; give this run an"
                    + " outbox of its own, or send them with the device and topic that made them");
        }
    }

    /** Readings from the outbox that this session sends before its own. */
    int recoveredCount() {
        return recovered.size();
    }

    Optional<Path> outboxDirectory() {
        return outboxDirectory;
    }

    /** Records this session's sends, fates and reconnects into {@code metrics} too (before {@link #connect}). */
    void recordInto(RunMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Connects as this device; false when {@code stopRequested} turned true meanwhile. {@code timers}: a fleet's
     * shared timers, or null for threads of the publisher's own.
     */
    boolean connect(ConnectionSettings connection, BooleanSupplier stopRequested, SharedTimers timers)
            throws Failure, InterruptedException {
        DeliveryListener listener = metrics.recording(outbox == null ? tally : outbox.striking(tally));
        Optional<MqttPublisher> connected = MqttPublisher.connect(connection, listener, stopRequested, timers);
        if (connected.isEmpty()) {
            return false;
        }
        publisher = connected.get();
        if (stopping) {
            publisher.stopWaiting();
        }
        return true;
    }

    /**
     * Starts sending on {@code ticks}: the outbox's readings at once, then reading i due at start + offset + i x
     * interval (fixed rate: a long run does not drift).
     */
    void start(ScheduledExecutorService ticks, Duration offset) {
        firstDueNanos = System.nanoTime() + offset.toNanos();
        schedule(ticks, recovered.isEmpty() ? offset.toNanos() : 0);
    }

    private void schedule(ScheduledExecutorService ticks, long delayNanos) {
        try {
            nextTurn = ticks.schedule(() -> turn(ticks), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            madeAll(); // the scheduler is shutting down: the run is over
        }
    }

    /** Sends what is due now, at most one turn's worth, then schedules the next turn at the next reading's time. */
    private void turn(ScheduledExecutorService ticks) {
        try {
            for (int inTurn = 0; inTurn < READINGS_PER_TURN; inTurn++) {
                if (stopping || publisher.gaveUp().isPresent() || diskFailure != null) {
                    madeAll();
                    return;
                }
                if (resent < recovered.size()) {
                    StoredMessage m = recovered.get(resent);
                    if (!publisher.publish(m.topic(), m.payload(), m.qos(), resent)) {
                        madeAll();
                        return;
                    }
                    resent++;
                    continue;
                }
                if (made >= settings.count()) {
                    madeAll();
                    return;
                }
                long due = firstDueNanos + settings.interval().toNanos() * made;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    schedule(ticks, wait);
                    return;
                }
                if (publisher.brokerGone()) {
                    owner.brokerGone();
                    madeAll();
                    return;
                }
                if (!makeAndSend()) {
                    madeAll();
                    return;
                }
            }
            schedule(ticks, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            madeAll();
        } catch (RuntimeException e) {
            log.warn(deviceId + ": " + Causes.describe(e) + ": no more readings are made");
            madeAll();
        }
    }

    /** Makes the next reading, journals it, and hands it to the connection; false when the session must stop. */
    private boolean makeAndSend() throws InterruptedException {
        owner.making(made + 1, settings.count());
        // The reading's delivery timeout runs from now, when it is made: at its due time in a paced run, and as
        // soon as the window lets the session on at --interval 0, where every reading is "due" at the start.
        long madeNanos = System.nanoTime();
        byte[] payload = telemetry.nextPayload(clock.instant());
        long sequence = recovered.size() + made;
        made++;
        if (outbox != null) {
            try {
                outbox.sent(sequence, topic, settings.qos(), payload);
                journaled++;
            } catch (Failure e) {
                diskFailure = e; // not sent: a reading the journal cannot hold could be lost by a kill
                return false;
            }
        }
        return publisher.publish(topic, payload, settings.qos(), sequence, madeNanos);
    }

    private void madeAll() {
        if (madeAll.getCount() > 0) {
            madeAll.countDown();
            owner.madeAll();
        }
    }

    /** Asked to stop (Ctrl-C, SIGTERM): no more readings, and no more waiting for room in the window. */
    void stop() {
        stopping = true;
        MqttPublisher p = publisher;
        if (p != null) {
            p.stopWaiting();
        }
        ScheduledFuture<?> next = nextTurn;
        if (next != null && next.cancel(false)) {
            madeAll();
        }
    }

    /** Ends a session that never started (refused, or stopped before connecting). */
    void abandon() {
        madeAll();
    }

    /** Waits until the session has made its readings, or stopped making them. */
    void awaitMadeAll() throws InterruptedException {
        madeAll.await();
    }

    /**
     * Waits until {@code deadlineNanos} ({@link System#nanoTime}) at most for the acknowledgements still outstanding.
     * At QoS 0, where none comes, it waits instead a moment past the last PUBLISH: a broker that closes the
     * connection right after one has taken none of them.
     */
    boolean awaitOutstanding(long deadlineNanos) throws InterruptedException {
        MqttPublisher p = publisher;
        if (p == null) {
            return true;
        }
        boolean settled = p.awaitOutstanding(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
        if (settings.qos() == 0 && !stopping && tally.sentUnacknowledged() > 0) {
            writtenInDoubt = p.writtenInDoubt().orElse(null);
        }
        return settled;
    }

    boolean connected() {
        return publisher != null;
    }

    /** How many readings this session plans: what the outbox held, and the run's own. */
    long planned() {
        return recovered.size() + settings.count();
    }

    /** Readings of the run's own count that were never made: the run stopped, or the broker was gone. */
    long neverMade() {
        return settings.count() - made;
    }

    DeliveryTally tally() {
        return tally;
    }

    /** What the session did, in the one vocabulary of the closing line and the JSON. */
    RunSummary summary(Duration elapsed, boolean interrupted) {
        long kept = outbox == null ? 0
                : Math.max(0, recovered.size() + journaled - tally.acknowledged() - tally.sentUnacknowledged());
        return RunSummary.of(planned(), neverMade(), kept, tally, writtenInDoubt != null, elapsed, settings.qos(),
                interrupted);
    }

    /**
     * How the device's run ended: nothing to say when every reading was delivered or the run was stopped, else the
     * one failure that says why not, in the summary's numbers. The single run throws it; a fleet reports it beside
     * the device; {@code check} fails its publish step with it.
     */
    Optional<Failure> failure(Endpoint endpoint, boolean stopped) {
        if (diskFailure != null) {
            return Optional.of(diskFailure);
        }
        if (outbox != null && outbox.writeFailure().isPresent()) {
            return outbox.writeFailure();
        }
        RunSummary summary = summary(Duration.ZERO, stopped);
        if (stopped || summary.allDelivered()) {
            return Optional.empty();
        }
        MqttPublisher p = publisher;
        if (p != null && p.gaveUp().isPresent()) {
            return p.gaveUp();
        }
        if (writtenInDoubt != null) {
            return Optional.of(writtenInDoubt);
        }
        long notAcknowledged = summary.failed() + summary.neverSent();
        String split = summary.neverSent() == 0 ? "" : " (" + summary.failed() + " sent without an acknowledgement, "
                + summary.neverSent() + " never sent" + (summary.neverMade() == 0 ? ""
                        : ", " + summary.neverMade() + " of them never made: the broker was gone") + ")";
        String rest = split + (summary.keptInOutbox() > 0
                ? "; " + summary.keptInOutbox() + " kept in the outbox for the next run" : "");
        if (p != null && p.reconnectRefusal().isPresent()) {
            Failure refusal = p.reconnectRefusal().get();
            return Optional.of(new Failure(refusal.kind(), refusal.input().orElse(null), notAcknowledged
                    + " message(s) not acknowledged: on reconnecting, " + refusal.getMessage() + rest, refusal.getCause()));
        }
        Throwable cause = tally.firstFailure() != null ? tally.firstFailure() : p == null ? null : p.lastConnectionLoss();
        return Optional.of(new Failure(Failure.Kind.NOT_DELIVERED, notAcknowledged + " message(s) not acknowledged by "
                + endpoint + (cause == null ? "" : ": " + Causes.describe(cause)) + rest, cause));
    }

    /** Disconnects and closes the outbox journal, after every acknowledgement that could still arrive. */
    void close() {
        MqttPublisher p = publisher;
        if (p != null) {
            p.close();
        }
        if (outbox != null) {
            outbox.close();
        }
    }
}
