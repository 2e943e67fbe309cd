package com.tesaiot.publish.app;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.metrics.RunMetrics;
import com.tesaiot.publish.mqtt.DeliveryListener;
import com.tesaiot.publish.mqtt.MqttPublisher;
import com.tesaiot.publish.mqtt.SharedTimers;
import com.tesaiot.publish.mqtt.Topics;
import com.tesaiot.publish.report.ConsoleLog;
import com.tesaiot.publish.report.DeliveryTally;
import com.tesaiot.publish.report.DeviceResult;
import com.tesaiot.publish.report.MessageLines;
import com.tesaiot.publish.telemetry.Scenario;
import com.tesaiot.publish.telemetry.TelemetryStream;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One device of a fleet: its bundle prepared as a single device run prepares it, its own connection (client id =
 * device id) and telemetry stream, and its readings published on the fleet's shared scheduler, one task per
 * reading, so a thousand devices do not need a thousand pacing threads.
 */
final class FleetDevice implements DeliveryListener {
    private static final int QOS = 1;

    /** What the fleet lends every device: where to report, and the threads it shares. */
    interface Fleet {
        void connected(long connectNanos);

        void connectionLost(String deviceId, Throwable cause);

        void finished();

        boolean stopRequested();

        /** fleet-engine hook: the run's live metrics. */
        RunMetrics metrics();
    }

    private final FleetBundles.Source source;
    private final FleetPlan plan;
    private final Fleet fleet;
    private final Scenario scenario;
    private final DeliveryTally tally;
    private final Clock clock = Clock.systemUTC();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();
    private PreparedConnection prepared;
    private String topic;
    private TelemetryStream telemetry;
    private volatile MqttPublisher publisher;
    private volatile String refusal;
    private volatile long connectNanos;
    private long firstDueNanos;

    FleetDevice(FleetBundles.Source source, FleetPlan plan, Fleet fleet, ConsoleLog log) {
        this.source = source;
        this.plan = plan;
        this.fleet = fleet;
        this.scenario = plan.scenarios().scenarioOf(source.label());
        this.tally = new DeliveryTally(log, MessageLines.NONE);
        source.unreadable().ifPresent(this::refuse);
    }

    String deviceId() {
        return source.label();
    }

    /** The single device run's preflight: bundle read, key tightened, TLS context built, topic checked. */
    void prepare(BrokerSettings broker, ConsoleLog log) {
        if (refused()) {
            return;
        }
        try {
            prepared = PreparedConnection.prepare(new DeviceCredentials(source.location(), source.deviceId(),
                    Optional.empty()), broker, log);
            topic = plan.topicFor(deviceId());
            Topics.requirePublishable(topic, plan.topic().isPresent());
            telemetry = new TelemetryStream(deviceId(), scenario, ScenarioMix.seedOf(plan.seed(), deviceId()),
                    plan.interval());
        } catch (Failure f) {
            refuse(f);
        }
    }

    boolean refused() {
        return refusal != null;
    }

    /**
     * Connects, then schedules the first reading when {@code readingStart} says: {@code offset} later, or that long after
     * the fleet's start time; a device the broker refuses is finished with the broker's reason.
     */
    void connectAndStart(SharedTimers timers, ScheduledExecutorService ticks, Duration offset, ReadingStart readingStart) {
        long start = System.nanoTime();
        try {
            Optional<MqttPublisher> connected = MqttPublisher.connect(
                    prepared.settings(plan.maxInflight(), plan.deliveryTimeout()), fleet.metrics().recording(this),
                    fleet::stopRequested, timers);
            if (connected.isEmpty()) {
                finish(); // stopped while connecting
                return;
            }
            publisher = connected.get();
        } catch (Failure f) {
            refuse(f);
            finish();
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish();
            return;
        } catch (RuntimeException e) {
            refusal = "unexpected " + e;
            fleet.metrics().refused();
            finish();
            return;
        }
        connectNanos = Math.max(1, System.nanoTime() - start);
        fleet.connected(connectNanos);
        if (fleet.stopRequested()) {
            publisher.stopWaiting();
            finish();
            return;
        }
        long firstIn = readingStart.firstReadingIn(offset).toNanos(); // fleet-engine hook: --start-at
        firstDueNanos = System.nanoTime() + firstIn;
        ticks.schedule(() -> publishNext(ticks), firstIn, TimeUnit.NANOSECONDS);
    }

    /** Publishes the reading that is due, then schedules the next at its fixed-rate time (no drift). */
    private void publishNext(ScheduledExecutorService ticks) {
        try {
            if (fleet.stopRequested() || publisher.abandoned()) {
                finish();
                return;
            }
            // Counted as sent before it is handed over, so its acknowledgement is never counted before it.
            long number = sent.getAndIncrement();
            if (!publisher.publish(topic, telemetry.nextPayload(clock.instant()), QOS, number)) {
                sent.decrementAndGet(); // stopped while waiting for room: never sent
                finish();
                return;
            }
            fleet.metrics().sent();
            long done = number + 1;
            if (done >= plan.count()) {
                finish();
                return;
            }
            long due = firstDueNanos + plan.interval().toNanos() * done;
            ticks.schedule(() -> publishNext(ticks), Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish();
        } catch (RuntimeException e) {
            finish(); // the scheduler is shutting down: the run is over
        }
    }

    /** Counted once, whichever way the device ends: sent everything, stopped, or refused. */
    void finish() {
        if (finished.compareAndSet(false, true)) {
            fleet.finished();
        }
    }

    void stopWaiting() {
        MqttPublisher p = publisher;
        if (p != null) {
            p.stopWaiting();
        }
    }

    /** Waits until {@code deadlineNanos} at most for the acknowledgements still outstanding. */
    void awaitOutstanding(long deadlineNanos) throws InterruptedException {
        MqttPublisher p = publisher;
        if (p != null) {
            p.awaitOutstanding(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
        }
    }

    void close() {
        MqttPublisher p = publisher;
        if (p != null) {
            p.close();
        }
    }

    private void refuse(Failure f) {
        refusal = general(f.getMessage());
        fleet.metrics().refused();
    }

    /**
     * The cause in words that do not name this device, so that devices refused for the same reason group together:
     * the bundle's path becomes {@code <bundle>}, its device id {@code <device>}, and a clock reading to the
     * nanosecond (when a certificate's dates were checked) {@code <check time>}.
     */
    private String general(String cause) {
        String text = cause.replace(source.path().toAbsolutePath().normalize().toString(), "<bundle>")
                .replace(source.path().toString(), "<bundle>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z", "<check time>");
        String id = deviceId();
        return Pattern.compile("(?<![\\w.-])" + Pattern.quote(id) + "(?![\\w-])").matcher(text)
                .replaceAll(Matcher.quoteReplacement("<device>"));
    }

    long planned() {
        return plan.count();
    }

    long sent() {
        return sent.get();
    }

    DeliveryTally tally() {
        return tally;
    }

    long reconnects() {
        return reconnects.get();
    }

    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    long connectNanos() {
        return connectNanos;
    }

    /** Messages sent whose fate was unknown when the run ended count as failed, as in a single device run. */
    long failed() {
        long unaccounted = Math.max(0, sent.get() - tally.acknowledged() - tally.failed());
        return tally.failed() + unaccounted;
    }

    DeviceResult result() {
        return new DeviceResult(deviceId(), source.name(), scenario.cliName(), connectNanos > 0, connectNanos,
                plan.count(), sent.get(), tally.acknowledged(), failed(), tally.redelivered(), reconnects.get(),
                refusal());
    }

    @Override
    public void acknowledged(long sequence, long latencyNanos) {
        tally.acknowledged(sequence, latencyNanos);
    }

    @Override
    public void failed(long sequence, Throwable cause) {
        tally.failed(sequence, cause);
    }

    @Override
    public void redelivered(long sequence) {
        tally.redelivered(sequence);
    }

    @Override
    public void connectionLost(Throwable cause) {
        fleet.connectionLost(deviceId(), cause);
    }

    @Override
    public void reconnected(int attempts) {
        reconnects.incrementAndGet();
    }
}
