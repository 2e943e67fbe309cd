package com.tesaiot.publish.app;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.metrics.RunMetrics;
import com.tesaiot.publish.mqtt.ConnectionSettings;
import com.tesaiot.publish.mqtt.SharedTimers;
import com.tesaiot.publish.mqtt.Topics;
import com.tesaiot.publish.report.ConsoleLog;
import com.tesaiot.publish.report.DeliveryTally;
import com.tesaiot.publish.report.DeviceResult;
import com.tesaiot.publish.report.LatencyHistogram;
import com.tesaiot.publish.report.MessageLines;
import com.tesaiot.publish.telemetry.Scenario;
import com.tesaiot.publish.telemetry.TelemetryStream;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One device of a fleet: its bundle prepared as a single device run prepares it, and then the single device run's
 * {@link DeviceSession} (client id = device id, its own telemetry, outbox folder and fates), paced on the fleet's
 * shared scheduler so a thousand devices do not need a thousand pacing threads.
 */
final class FleetDevice {
    /** What the fleet lends every device: where to report, and whether to stop. */
    interface Fleet {
        void connected(long connectNanos);

        void connectionLost(String deviceId, Throwable cause);

        void brokerGone(String deviceId);

        void finished();

        boolean stopRequested();

        /** The run's live metrics. */
        RunMetrics metrics();

        /** Where every device records its acknowledgement latencies. */
        LatencyHistogram ackLatencies();
    }

    private final FleetBundles.Source source;
    private final FleetPlan plan;
    private final Fleet fleet;
    private final Scenario scenario;
    private final DeliveryTally tally;
    private final ConsoleLog log;
    private final Function<Failure, String> wording;
    private final AtomicBoolean finished = new AtomicBoolean();
    /**
     * How to connect, made from the prepared bundle, which is not kept: its PEM texts (the private key's among them)
     * would stay in memory for the whole run, about 3 KiB per device.
     */
    private ConnectionSettings settings;
    private DeviceSession session;
    private volatile String refusal;
    private volatile String undelivered;
    private volatile long connectNanos;

    FleetDevice(FleetBundles.Source source, FleetPlan plan, Fleet fleet, ConsoleLog log, Function<Failure, String> wording) {
        this.wording = wording;
        this.source = source;
        this.plan = plan;
        this.fleet = fleet;
        this.log = log;
        this.scenario = plan.scenarios().scenarioOf(source.label());
        // The fleet tells the first few connection losses, not every device each of its own.
        this.tally = new DeliveryTally(new DeliveryTally.Story() {
            @Override
            public void connectionLost(Throwable cause) {
                fleet.connectionLost(deviceId(), cause);
            }
        }, MessageLines.NONE, fleet.ackLatencies());
        source.unreadable().ifPresent(this::refuse);
    }

    String deviceId() {
        return source.label();
    }

    /** How reports name the device: its id, and its bundle's file or folder name when that is not the id. */
    String displayName() {
        return source.name().equals(deviceId()) ? deviceId() : deviceId() + " (" + source.name() + ")";
    }

    /**
     * The single device run's preflight: bundle read, key tightened, TLS context built, topic checked, and the
     * device's outbox folder read; a device that fails any of it is refused with the cause.
     */
    void prepare(BrokerSettings broker) {
        if (refused()) {
            return;
        }
        try {
            PreparedConnection prepared = PreparedConnection.prepare(new DeviceCredentials(source.location(),
                    source.deviceId(), plan.keyPassword()), broker, log);
            DeliverySettings delivery = plan.delivery();
            settings = prepared.settings(delivery.maxInflight(), delivery.deliveryTimeout(), delivery.stallFloor());
            String topic = delivery.topicFor(deviceId());
            Topics.requirePublishable(topic, delivery.topic().isPresent());
            TelemetryStream telemetry = new TelemetryStream(deviceId(), scenario,
                    ScenarioMix.seedOf(delivery.seed(), deviceId()), delivery.interval());
            session = new DeviceSession(deviceId(), topic, delivery, telemetry, tally, new DeviceSession.Owner() {
                @Override
                public void brokerGone() {
                    fleet.brokerGone(deviceId());
                }

                @Override
                public void madeAll() {
                    finish();
                }
            }, log);
            session.recordInto(fleet.metrics());
            if (delivery.outbox().isPresent()) {
                session.openOutbox(delivery.outbox().get().resolve(prepared.bundle().deviceId()));
            }
        } catch (Failure f) {
            refuse(f);
        }
    }

    boolean refused() {
        return refusal != null;
    }

    /**
     * Connects, then starts the session's readings when {@code readingStart} says: {@code offset} later, or that long
     * after the fleet's start time; a device the broker refuses is finished with the broker's reason.
     */
    void connectAndStart(SharedTimers timers, ScheduledExecutorService ticks, Duration offset, ReadingStart readingStart) {
        long start = System.nanoTime();
        try {
            if (!session.connect(settings, fleet::stopRequested, timers)) {
                finish(); // stopped while connecting
                return;
            }
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
            session.stop();
            finish();
            return;
        }
        session.start(ticks, readingStart.firstReadingIn(offset)); // --start-at: the first reading at the fleet's instant
    }

    /** Counted once, whichever way the device ends: made everything, stopped, or refused. */
    void finish() {
        if (finished.compareAndSet(false, true)) {
            fleet.finished();
        }
    }

    void stop() {
        if (session != null) {
            session.stop();
        }
    }

    /** Waits until {@code deadlineNanos} at most for the acknowledgements still outstanding. */
    void awaitOutstanding(long deadlineNanos) throws InterruptedException {
        if (session != null) {
            session.awaitOutstanding(deadlineNanos);
        }
    }

    /** Decides how the device's run ended (after its acknowledgements settled), then disconnects. */
    void end(boolean stopped) {
        if (session == null) {
            return;
        }
        if (!refused() && session.connected()) {
            session.failure(settings.endpoint(), stopped).ifPresent(f -> undelivered = general(f.getMessage()));
        }
        session.close();
    }

    private void refuse(Failure f) {
        refusal = general(wording.apply(f));
        fleet.metrics().refused();
    }

    /**
     * The cause in words that do not name this device, so that devices refused for the same reason group together
     * (the report lists the devices beside it): a file of the bundle is named by its name in the bundle, the bundle
     * itself as "its bundle", the device id as "the device", and the clock reading a certificate's dates were checked
     * against is left out.
     */
    private String general(String cause) {
        String text = cause;
        for (String path : new String[] {source.path().toAbsolutePath().normalize().toString(), source.path().toString()}) {
            text = text.replace(path + java.io.File.separator, "").replace(path, "its bundle");
        }
        text = text.replaceAll(", and this machine's clock says \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z",
                ", and this machine's clock disagrees");
        return Pattern.compile("(?<![\\w.-])" + Pattern.quote(deviceId()) + "(?![\\w-])").matcher(text)
                .replaceAll(Matcher.quoteReplacement("the device"));
    }

    /** Readings this device plans: what its outbox held, and the run's own count. */
    long planned() {
        return session == null ? plan.delivery().count() : session.planned();
    }

    /** Readings that went to the connection. */
    long sent() {
        return tally.sent();
    }

    DeliveryTally tally() {
        return tally;
    }

    long reconnects() {
        return tally.reconnects();
    }

    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** Why a device that ran did not deliver everything, when it did not. */
    Optional<String> undelivered() {
        return Optional.ofNullable(undelivered);
    }

    /** Messages sent and not acknowledged (nor, at QoS 0, written), as in a single device run's summary. */
    long failed() {
        return Math.max(0, tally.sent() - tally.acknowledged() - tally.sentUnacknowledged());
    }

    DeviceResult result() {
        return new DeviceResult(deviceId(), source.name(), scenario.cliName(), connectNanos > 0, connectNanos,
                planned(), sent(), tally.acknowledged(), failed(), tally.redelivered(), tally.reconnects(), refusal());
    }
}
