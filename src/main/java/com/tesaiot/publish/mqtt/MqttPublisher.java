package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.Failure;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One MQTT 3.1.1 connection over mutual TLS for the whole run, and at-least-once delivery across its losses: the
 * small front the runs use. Its parts, each with its own rule: {@link PahoConnection} (the Paho client and its
 * threads), {@link InFlightLedger} (the window: every message kept until its PUBACK arrives or its delivery timeout
 * passes), {@link Reconnection} (reconnect with backoff and resend, drop a stalled link, give up on an ACL denial or
 * a session takeover). We keep the record of unacknowledged messages ourselves rather than lean on Paho's
 * clean-session=false resend, whose listeners report a failure first and a success later for the same message, and
 * which would make the broker keep a session for the device. {@link #publish} blocks only while the window is full.
 */
public final class MqttPublisher implements AutoCloseable {
    private static final long EXPIRY_CHECK_MILLIS = 200;
    /** After Ctrl-C or SIGTERM, how long in-flight messages may still be acknowledged. */
    public static final Duration GRACE_AFTER_STOP = Duration.ofSeconds(2);

    private final PahoConnection connection;
    private final ConnectionSettings settings;
    private final DeliveryListener listener;
    private final InFlightLedger ledger;
    private final Reconnection reconnection;
    /** Held while sending, so a resend sweep after a reconnect and a new publish never interleave. */
    private final Object sending = new Object();
    private volatile ScheduledFuture<?> expiry;
    private volatile boolean closing;
    private volatile boolean stopWaiting;

    private MqttPublisher(PahoConnection connection, ConnectionSettings settings, DeliveryListener listener) {
        this.connection = connection;
        this.settings = settings;
        this.listener = listener;
        this.ledger = new InFlightLedger(settings.maxInflight(), settings.deliveryTimeout(), listener, System::nanoTime);
        this.reconnection = new Reconnection(connection, settings, listener, sending, this::resendUnsettled,
                ledger::giveUpAll);
        connection.onLoss(reconnection::lost);
    }

    /**
     * Connects, or explains in one line why the broker could not be reached or refused us. A first connection
     * that fails is not retried: that is a configuration to fix, not a network blip.
     */
    public static MqttPublisher connect(ConnectionSettings settings, DeliveryListener listener) throws Failure {
        try {
            return connect(settings, listener, () -> false).orElseThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Failure.Kind.UNREACHABLE, "interrupted while connecting to " + settings.endpoint(), e);
        }
    }

    /**
     * Connects as {@link #connect(ConnectionSettings, DeliveryListener)} does, but gives up at once, empty, when
     * {@code stopRequested} turns true meanwhile (Ctrl-C during a slow first connect).
     */
    public static Optional<MqttPublisher> connect(ConnectionSettings settings, DeliveryListener listener,
            BooleanSupplier stopRequested) throws Failure, InterruptedException {
        return connect(settings, listener, stopRequested, null);
    }

    /**
     * As {@link #connect(ConnectionSettings, DeliveryListener, BooleanSupplier)}, with keep-alive
     * pings, expiry checks and reconnects scheduled on {@code shared} timers (null: threads of its own), so that many
     * publishers need few threads.
     */
    public static Optional<MqttPublisher> connect(ConnectionSettings settings, DeliveryListener listener,
            BooleanSupplier stopRequested, SharedTimers shared) throws Failure, InterruptedException {
        MqttPublisher publisher = new MqttPublisher(PahoConnection.create(settings, shared), settings, listener);
        boolean connected;
        try {
            connected = publisher.connection.connectFirst(stopRequested);
        } catch (Failure | InterruptedException | RuntimeException e) {
            publisher.shutdown();
            throw e;
        }
        if (!connected) {
            publisher.shutdown();
            return Optional.empty();
        }
        publisher.ledger.connected();
        publisher.reconnection.connected();
        publisher.expiry = publisher.connection.expirer().scheduleWithFixedDelay(publisher::expireOverdue,
                EXPIRY_CHECK_MILLIS, EXPIRY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        return Optional.of(publisher);
    }

    /**
     * Sends one message, waiting first for room in the window of unacknowledged messages. While the connection
     * is down the message waits for the reconnect; its fate reaches the listener either way.
     */
    public boolean publish(String topic, byte[] payload, int qos, long sequence) throws InterruptedException {
        return publish(topic, payload, qos, sequence, System.nanoTime());
    }

    /**
     * Sends one message that was due at {@code dueNanos} ({@link System#nanoTime}): its delivery timeout runs
     * from then, including any wait for room in the window, so a broker that is gone fails a run within about one
     * delivery timeout, not one per window.
     */
    public boolean publish(String topic, byte[] payload, int qos, long sequence, long dueNanos) throws InterruptedException {
        InFlightLedger.Room room = ledger.awaitRoom(() -> stopWaiting, dueNanos);
        if (room == InFlightLedger.Room.STOPPED) {
            listener.failedUnsent(sequence, new CancellationException("the run was stopped before it was sent"));
            return false;
        }
        if (room == InFlightLedger.Room.EXPIRED) {
            ledger.expiredUnsent(sequence);
            return true;
        }
        // Recorded and sent under one lock: a resend sweep after a reconnect either sees the message (and sends
        // it) or runs before it exists, never both, so no reading goes out twice.
        synchronized (sending) {
            InFlightLedger.Entry entry = ledger.record(sequence, topic, payload, qos, dueNanos);
            if (reconnection.gaveUp().isPresent()) {
                ledger.giveUp(sequence, reconnection.lastLoss());
            } else if (!reconnection.reconnecting()) {
                send(sequence, entry);
            }
        }
        return true;
    }

    /**
     * The run was asked to stop: {@link #publish} returns false instead of waiting for room, and
     * {@link #awaitOutstanding} gives the messages in flight only {@link #GRACE_AFTER_STOP} more.
     */
    public void stopWaiting() {
        stopWaiting = true;
    }

    private void send(long sequence, InFlightLedger.Entry entry) {
        try {
            connection.publish(entry.topic, entry.payload, entry.qos, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    if (entry.qos == 0) {
                        ledger.written(sequence); // on the wire: all QoS 0 promises, and no acknowledgement
                    } else {
                        reconnection.acknowledged(entry.topic);
                        ledger.acknowledge(sequence);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    if (!isConnectionLoss(cause) && !reconnection.reconnecting()) {
                        ledger.giveUp(sequence, cause);
                    }
                    // On a connection loss (or a stalled connection we dropped) the message stays unsettled, and the
                    // reconnect sends it again.
                }
            });
            ledger.sent(sequence, entry);
            reconnection.sent(entry.topic, System.nanoTime());
        } catch (MqttException e) {
            if (!isConnectionLoss(e)) {
                ledger.giveUp(sequence, e);
            }
        } catch (RuntimeException e) {
            ledger.giveUp(sequence, e); // e.g. a topic Paho refuses: this message can never be sent
        }
    }

    /** After a reconnect, under the sending lock: every unsettled message goes out again, oldest first. */
    private void resendUnsettled() {
        ledger.connected();
        ledger.forEachUnsettled((sequence, entry) -> {
            if (entry.sentBefore) {
                listener.redelivered(sequence);
            }
            send(sequence, entry);
        });
    }

    private static boolean isConnectionLoss(Throwable cause) {
        if (!(cause instanceof MqttException e)) {
            return false;
        }
        int code = e.getReasonCode();
        return code == MqttException.REASON_CODE_CONNECTION_LOST || code == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                || code == MqttException.REASON_CODE_CLIENT_DISCONNECTING || code == MqttException.REASON_CODE_CLIENT_CLOSED;
    }

    private void expireOverdue() {
        try {
            ledger.expireOverdue();
            if (!reconnection.reconnecting() && !closing && ledger.stalled(settings.stallFloor())) {
                reconnection.dropStalled(ledger.stallThreshold(settings.stallFloor()));
            }
        } catch (RuntimeException e) {
            // A failing listener must not cancel this periodic task: the next round tries again.
        }
    }

    /**
     * Waits until every message sent has been acknowledged or given up (its delivery timeout passed); false when
     * {@code timeout} ran out first. The run's wait is then over: what is still in flight is given up at once, each
     * message told to the listener as failed, as the summary counts it (an acknowledgement arriving later changes
     * nothing already printed).
     */
    public boolean awaitOutstanding(Duration timeout) throws InterruptedException {
        boolean settled = ledger.awaitAllSettled(timeout, () -> stopWaiting, GRACE_AFTER_STOP);
        if (!settled) {
            ledger.giveUpAll(stopWaiting ? new CancellationException("the run was stopped before the broker acknowledged it")
                    : new TimeoutException("no acknowledgement within the run's wait of " + timeout.toSeconds() + " s"));
        }
        return settled;
    }

    /**
     * For a run at QoS 0, once every message is written: waits a moment past the last PUBLISH, and says why none of
     * them is known to have arrived when the broker closed the connection right after one (an ACL denial).
     */
    public Optional<Failure> writtenInDoubt() throws InterruptedException {
        return reconnection.writtenInDoubt();
    }

    /**
     * Present once the publisher gave up for a reason that reconnecting cannot fix, in one line: the broker closed
     * the connection right after our publishes, before acknowledging any, several connections in a row (its ACL
     * most likely denies the topic: {@link Failure.Kind#NOT_DELIVERED}), or another client with our client id keeps
     * taking the session over ({@link Failure.Kind#SESSION_TAKEN_OVER}). Every unsettled message is then given up,
     * and every later one at once. Publish runs and {@code check} say it in the same words.
     */
    public Optional<Failure> gaveUp() {
        return reconnection.gaveUp();
    }

    /**
     * True once the connection has been down for longer than the delivery timeout: everything sent has expired,
     * and every new reading would only wait out its own timeout. The run should end.
     */
    public boolean brokerGone() {
        return reconnection.downLongerThan(settings.deliveryTimeout());
    }

    /** The broker's refusal of our login on the latest reconnect attempt, if it refused. */
    public Optional<Failure> reconnectRefusal() {
        return reconnection.reconnectRefusal();
    }

    /** Why the connection last dropped, if it did. */
    public Throwable lastConnectionLoss() {
        return reconnection.lastLoss();
    }

    @Override
    public void close() {
        closing = true;
        reconnection.close();
        cancelExpiry();
        connection.close();
    }

    private void shutdown() {
        closing = true;
        reconnection.close();
        cancelExpiry();
        connection.shutdown();
    }

    private void cancelExpiry() {
        ScheduledFuture<?> scheduled = expiry;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
