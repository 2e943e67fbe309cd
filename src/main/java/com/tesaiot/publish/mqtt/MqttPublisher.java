package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.ExitStatus;
import com.tesaiot.publish.Failure;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.time.Duration;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One MQTT 3.1.1 connection over mutual TLS for the whole run, and at-least-once delivery across its losses.
 * Every message stays in {@code unacknowledged} until its PUBACK arrives or its delivery timeout passes; when the
 * connection drops, the publisher reconnects with capped exponential backoff and sends every such message again.
 * We keep that record ourselves rather than lean on Paho's clean-session=false resend, whose listeners report
 * a failure first and a success later for the same message (see FIELD-NOTES), and which would make the broker
 * keep a session for the device. {@link #publish} blocks only while the window of unacknowledged messages is full.
 */
public final class MqttPublisher implements AutoCloseable {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final long EXPIRY_CHECK_MILLIS = 200;
    private static final int PAHO_MAX_INFLIGHT = 65_535;
    /**
     * Connections in a row that the broker closed after we published and before it acknowledged anything. EMQX's
     * ACLs disconnect a client that publishes to a denied topic: reconnecting again would only repeat that.
     */
    private static final int FRUITLESS_CONNECTIONS_TO_ABANDON = 3;

    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final ConnectionSettings settings;
    private final DeliveryListener listener;
    private final Semaphore window;
    private final ConcurrentSkipListMap<Long, Pending> unacknowledged = new ConcurrentSkipListMap<>();
    private final AtomicReference<Throwable> lastLoss = new AtomicReference<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tesaiot-publish-delivery");
        t.setDaemon(true);
        return t;
    });
    /** Held while sending, so a resend sweep after a reconnect and a new publish never interleave. */
    private final Object sending = new Object();
    private volatile boolean closing;
    private volatile boolean reconnecting;
    private volatile boolean sentSinceConnect;
    private volatile boolean acknowledgedSinceConnect;
    private int fruitlessConnections;
    private volatile boolean abandoned;

    /** A message not yet acknowledged. */
    private static final class Pending {
        final String topic;
        final byte[] payload;
        final int qos;
        final long firstSentNanos;
        volatile long lastSentNanos;
        /** False for a message queued while the connection was down: sending it later is not a redelivery. */
        volatile boolean sentBefore;

        Pending(String topic, byte[] payload, int qos, long now) {
            this.topic = topic;
            this.payload = payload;
            this.qos = qos;
            this.firstSentNanos = now;
            this.lastSentNanos = now;
        }
    }

    private MqttPublisher(MqttAsyncClient client, ConnectionSettings settings, DeliveryListener listener) {
        this.client = client;
        this.settings = settings;
        this.listener = listener;
        this.options = options(settings);
        this.window = new Semaphore(settings.maxInflight());
    }

    /**
     * Connects, or explains in one line why the broker could not be reached or refused us. A first connection
     * that fails is not retried: that is a configuration to fix, not a network blip.
     */
    public static MqttPublisher connect(ConnectionSettings settings, DeliveryListener listener) throws Failure {
        MqttAsyncClient client;
        try {
            // MemoryPersistence: the default file persistence would litter the working directory.
            client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new Failure(ExitStatus.USAGE, "cannot use broker address " + settings.endpoint() + " or client id '"
                    + settings.clientId() + "': " + e.getMessage(), e);
        }
        MqttPublisher publisher = new MqttPublisher(client, settings, listener);
        client.setCallback(publisher.new LossHandler());
        try {
            client.connect(publisher.options).waitForCompletion(settings.connectTimeout().toMillis() + 5_000);
        } catch (MqttException e) {
            publisher.shutdown();
            throw ConnectFailures.explain(e, settings);
        }
        publisher.scheduler.scheduleWithFixedDelay(publisher::expireOverdue, EXPIRY_CHECK_MILLIS, EXPIRY_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        return publisher;
    }

    private static MqttConnectOptions options(ConnectionSettings settings) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setSocketFactory(settings.socketFactory());
        options.setHttpsHostnameVerificationEnabled(settings.verifyHostName());
        // Our window bounds what is in flight. Paho's own count is looser (seen: "too many publishes in progress"
        // while a broker shuts down, with our window not full), so its limit is set out of the way: 65535 is every
        // message id MQTT has.
        options.setMaxInflight(PAHO_MAX_INFLIGHT);
        options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        options.setAutomaticReconnect(false);
        settings.userName().ifPresent(options::setUserName);
        settings.password().ifPresent(p -> options.setPassword(p.reveal().toCharArray()));
        return options;
    }

    /**
     * Sends one message, waiting first for room in the window of unacknowledged messages. While the connection
     * is down the message waits for the reconnect; its fate reaches the listener either way.
     */
    public void publish(String topic, byte[] payload, int qos, long sequence) throws InterruptedException {
        window.acquire();
        Pending pending = new Pending(topic, payload, qos, System.nanoTime());
        unacknowledged.put(sequence, pending);
        if (abandoned) {
            giveUp(sequence, lastLoss.get());
            return;
        }
        synchronized (sending) {
            if (!reconnecting) {
                send(sequence, pending);
            }
        }
    }

    private void send(long sequence, Pending pending) {
        pending.lastSentNanos = System.nanoTime();
        pending.sentBefore = true;
        sentSinceConnect = true;
        try {
            client.publish(pending.topic, pending.payload, pending.qos, false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acknowledgedSinceConnect = true;
                    if (unacknowledged.remove(sequence) != null) {
                        // Tell the listener before freeing the slot: awaitOutstanding then sees final counts.
                        listener.acknowledged(sequence, System.nanoTime() - pending.lastSentNanos);
                        window.release();
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    if (!isConnectionLoss(cause)) {
                        giveUp(sequence, cause);
                    }
                    // On a connection loss the message stays unacknowledged, and the reconnect sends it again.
                }
            });
        } catch (MqttException e) {
            if (!isConnectionLoss(e)) {
                giveUp(sequence, e);
            }
        }
    }

    private static boolean isConnectionLoss(Throwable cause) {
        if (!(cause instanceof MqttException e)) {
            return false;
        }
        int code = e.getReasonCode();
        return code == MqttException.REASON_CODE_CONNECTION_LOST || code == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                || code == MqttException.REASON_CODE_CLIENT_DISCONNECTING || code == MqttException.REASON_CODE_CLIENT_CLOSED;
    }

    private void giveUp(long sequence, Throwable cause) {
        if (unacknowledged.remove(sequence) != null) {
            listener.failed(sequence, cause);
            window.release();
        }
    }

    /** Gives up on every message whose delivery timeout has passed, oldest first. */
    private void expireOverdue() {
        long deadline = System.nanoTime() - settings.deliveryTimeout().toNanos();
        for (var entry : unacknowledged.entrySet()) {
            if (entry.getValue().firstSentNanos - deadline > 0) {
                break; // sequence order is sending order: the rest are younger
            }
            giveUp(entry.getKey(), new TimeoutException("no acknowledgement within the delivery timeout of "
                    + settings.deliveryTimeout().toSeconds() + " s"));
        }
    }

    private final class LossHandler implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            lastLoss.set(cause);
            if (closing) {
                return;
            }
            synchronized (sending) {
                reconnecting = true;
            }
            fruitlessConnections = sentSinceConnect && !acknowledgedSinceConnect ? fruitlessConnections + 1 : 0;
            if (fruitlessConnections >= FRUITLESS_CONNECTIONS_TO_ABANDON) {
                abandoned = true;
                unacknowledged.keySet().forEach(sequence -> giveUp(sequence, cause));
                return;
            }
            listener.connectionLost(cause);
            scheduleReconnect(1, FIRST_BACKOFF);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // A publisher subscribes to nothing.
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Each publish has its own listener.
        }
    }

    private void scheduleReconnect(int attempt, Duration delay) {
        if (closing) {
            return;
        }
        scheduler.schedule(() -> reconnect(attempt, delay), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconnect(int attempt, Duration delay) {
        if (closing) {
            return;
        }
        try {
            client.connect(options).waitForCompletion(settings.connectTimeout().toMillis() + 5_000);
        } catch (MqttException e) {
            Duration next = delay.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay.multipliedBy(2);
            scheduleReconnect(attempt + 1, next);
            return;
        }
        synchronized (sending) {
            reconnecting = false;
            sentSinceConnect = false;
            acknowledgedSinceConnect = false;
            unacknowledged.forEach((sequence, pending) -> {
                if (pending.sentBefore) {
                    listener.redelivered(sequence);
                }
                send(sequence, pending);
            });
        }
        listener.reconnected(attempt);
    }

    /**
     * Waits until every message sent has been acknowledged or given up (its delivery timeout passed); false when
     * {@code timeout} ran out first.
     */
    public boolean awaitOutstanding(Duration timeout) throws InterruptedException {
        int permits = settings.maxInflight();
        if (window.tryAcquire(permits, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            window.release(permits);
            return true;
        }
        return false;
    }

    /**
     * True once the broker closed the connection right after our publishes, without acknowledging any, several
     * connections in a row: its ACL most likely denies the topic. Every message is then given up at once.
     */
    public boolean abandoned() {
        return abandoned;
    }

    /** Why the connection last dropped, if it did. */
    public Throwable lastConnectionLoss() {
        return lastLoss.get();
    }

    /** A short description of a connection loss or delivery failure, for a one-line message. */
    public static String describe(Throwable cause) {
        return ConnectFailures.describe(cause);
    }

    @Override
    public void close() {
        closing = true;
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            // The run's outcome is already decided; a failed DISCONNECT changes nothing for the user.
        } finally {
            shutdown();
        }
    }

    private void shutdown() {
        closing = true;
        scheduler.shutdownNow();
        try {
            client.close(true);
        } catch (MqttException e) {
            // Closing releases local resources only.
        }
    }
}
