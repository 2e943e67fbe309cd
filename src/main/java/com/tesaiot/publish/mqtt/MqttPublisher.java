package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.Failure;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.TimerPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One MQTT 3.1.1 connection over mutual TLS for the whole run, and at-least-once delivery across its losses.
 * Every message stays in the {@link InFlightLedger} until its PUBACK arrives or its delivery timeout passes; when
 * the connection drops, the publisher reconnects with {@link ReconnectBackoff} and sends every such message again.
 * We keep that record ourselves rather than lean on Paho's clean-session=false resend, whose listeners report
 * a failure first and a success later for the same message, and which would make the broker
 * keep a session for the device. {@link #publish} blocks only while the window of unacknowledged messages is full.
 */
public final class MqttPublisher implements AutoCloseable {
    private static final long EXPIRY_CHECK_MILLIS = 200;
    private static final int PAHO_MAX_INFLIGHT = 65_535;
    /** After Ctrl-C or SIGTERM, how long in-flight messages may still be acknowledged. */
    public static final Duration GRACE_AFTER_STOP = Duration.ofSeconds(2);
    /**
     * Connections in a row that the broker closed after we published and before it acknowledged anything. EMQX's
     * ACLs disconnect a client that publishes to a denied topic: reconnecting again would only repeat that.
     */
    private static final int FRUITLESS_CONNECTIONS_TO_ABANDON = 3;
    /** A loss this soon after our last PUBLISH counts as "right after" it (EMQX's deny_action = disconnect). */
    private static final long RIGHT_AFTER_PUBLISH_NANOS = Duration.ofSeconds(1).toNanos();

    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final ConnectionSettings settings;
    private final DeliveryListener listener;
    private final InFlightLedger ledger;
    private final AtomicReference<Throwable> lastLoss = new AtomicReference<>();
    /** Topics the broker acknowledged a message on in this run: a loss after that is no ACL denial of them. */
    private final Set<String> acknowledgedTopics = ConcurrentHashMap.newKeySet();
    private volatile String lastSentTopic;
    private volatile long lastSentNanos;
    /** When the connection was lost and not yet back; 0 while connected. */
    private volatile long lostSinceNanos;
    /** The broker refused our login on a reconnect: the run cannot go on as this device. */
    private volatile Failure reconnectRefusal;
    /** Expires overdue messages; a thread of its own, so a reconnect attempt that blocks does not delay it. */
    private final ScheduledExecutorService expirer;
    private final ScheduledExecutorService reconnector;
    /** A fleet's shared timers are its own to shut down; a lone publisher's die with it. */
    private final SharedTimers shared;
    private volatile ScheduledFuture<?> expiry;
    /** Held while sending, so a resend sweep after a reconnect and a new publish never interleave. */
    private final Object sending = new Object();
    private volatile boolean closing;
    private volatile boolean reconnecting;
    private volatile boolean sentSinceConnect;
    private volatile boolean acknowledgedSinceConnect;
    private int fruitlessConnections;
    private volatile boolean abandoned;
    private volatile boolean stopWaiting;

    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    private MqttPublisher(MqttAsyncClient client, ConnectionSettings settings, DeliveryListener listener,
            SharedTimers shared) {
        this.client = client;
        this.shared = shared;
        this.expirer = shared != null ? shared.expiry() : daemonScheduler("tesaiot-publish-expiry");
        this.reconnector = shared != null ? shared.reconnects() : daemonScheduler("tesaiot-publish-reconnect");
        this.settings = settings;
        this.listener = listener;
        this.options = options(settings);
        this.ledger = new InFlightLedger(settings.maxInflight(), settings.deliveryTimeout(), listener, System::nanoTime);
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
        MqttAsyncClient client;
        try {
            // MemoryPersistence: the default file persistence would litter the working directory. PahoThreadPool:
            // Paho's own threads would sleep 300 ms per connection before CONNECT. A fleet's pings share its timers.
            client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence(),
                    shared == null ? new TimerPingSender() : new ScheduledExecutorPingSender(shared.pings()),
                    new PahoThreadPool(settings.clientId()));
        } catch (MqttException | IllegalArgumentException e) {
            throw new Failure(Failure.Kind.USAGE, "cannot use broker address " + settings.endpoint() + " or client id '"
                    + settings.clientId() + "': " + e.getMessage(), e);
        }
        MqttPublisher publisher = new MqttPublisher(client, settings, listener, shared);
        client.setCallback(publisher.new LossHandler());
        CompletableFuture<Void> connected = new CompletableFuture<>();
        try {
            client.connect(publisher.options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connected.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    connected.completeExceptionally(cause);
                }
            });
            long deadline = System.nanoTime() + settings.connectTimeout().plusSeconds(5).toNanos();
            while (!connected.isDone()) {
                if (stopRequested.getAsBoolean()) {
                    publisher.shutdown();
                    return Optional.empty();
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
                }
                try {
                    connected.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // Look at the stop request again.
                }
            }
            connected.get(); // done: a failure that came between two looks is thrown here, not taken for success
        } catch (ExecutionException e) {
            publisher.shutdown();
            throw ConnectFailures.explain(e.getCause() instanceof MqttException m ? m : new MqttException(e.getCause()), settings);
        } catch (MqttException e) {
            publisher.shutdown();
            throw ConnectFailures.explain(e, settings);
        }
        publisher.ledger.connected();
        publisher.expiry = publisher.expirer.scheduleWithFixedDelay(publisher::expireOverdue, EXPIRY_CHECK_MILLIS,
                EXPIRY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        return Optional.of(publisher);
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
            if (abandoned) {
                ledger.giveUp(sequence, lastLoss.get());
            } else if (!reconnecting) {
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
            client.publish(entry.topic, entry.payload, entry.qos, false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acknowledgedSinceConnect = true;
                    acknowledgedTopics.add(entry.topic);
                    ledger.acknowledge(sequence);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    if (!isConnectionLoss(cause) && !reconnecting) {
                        ledger.giveUp(sequence, cause);
                    }
                    // On a connection loss (or a stalled connection we dropped) the message stays unacknowledged, and the reconnect sends it again.
                }
            });
            ledger.sent(entry);
            lastSentTopic = entry.topic;
            lastSentNanos = System.nanoTime();
            sentSinceConnect = true;
        } catch (MqttException e) {
            if (!isConnectionLoss(e)) {
                ledger.giveUp(sequence, e);
            }
        } catch (RuntimeException e) {
            ledger.giveUp(sequence, e); // e.g. a topic Paho refuses: this message can never be sent
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

    private void expireOverdue() {
        try {
            ledger.expireOverdue();
            if (!reconnecting && !closing && ledger.stalled(settings.stallFloor())) {
                dropStalledConnection();
            }
        } catch (RuntimeException e) {
            // A failing listener must not cancel this periodic task: the next round tries again.
        }
    }

    /**
     * The peer stopped answering but keeps the socket open (a hung proxy or load balancer, a paused broker):
     * Paho's keep-alive would notice only after a minute or more. The connection is dropped and redone like a lost
     * one, and the unacknowledged messages are sent again.
     */
    private void dropStalledConnection() {
        StalledConnectionException stall = new StalledConnectionException(settings.endpoint() + " acknowledged nothing for "
                + ledger.stallThreshold(settings.stallFloor()).toMillis() / 1000.0 + " s while messages waited: the"
                + " connection stalled");
        synchronized (sending) {
            if (reconnecting) {
                return;
            }
            reconnecting = true;
        }
        lastLoss.set(stall);
        lostSinceNanos = System.nanoTime();
        fruitlessConnections = 0;
        listener.connectionLost(stall);
        reconnector.execute(() -> {
            try {
                client.disconnectForcibly(0, 100, false);
            } catch (MqttException e) {
                // The socket is closed either way; the reconnect below opens a new one.
            }
            scheduleReconnect(1, ReconnectBackoff.FIRST);
        });
    }

    /** The connection was declared stalled by the liveness rule. */
    static final class StalledConnectionException extends Exception {
        StalledConnectionException(String message) {
            super(message);
        }
    }

    private final class LossHandler implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            if (closing) {
                lastLoss.set(cause);
                return;
            }
            synchronized (sending) {
                if (reconnecting) {
                    return; // already dropped as stalled, and being redone
                }
                reconnecting = true;
            }
            lastLoss.set(cause);
            lostSinceNanos = System.nanoTime();
            // An ACL denial (EMQX disconnects on a denied PUBLISH) fits only a loss right after our PUBLISH, with
            // nothing acknowledged on that topic in this whole run: a flapping link that has had acknowledgements
            // on the topic is not one.
            boolean fitsDenial = sentSinceConnect && !acknowledgedSinceConnect && lastSentTopic != null
                    && !acknowledgedTopics.contains(lastSentTopic) && System.nanoTime() - lastSentNanos < RIGHT_AFTER_PUBLISH_NANOS;
            fruitlessConnections = fitsDenial ? fruitlessConnections + 1 : 0;
            if (fruitlessConnections >= FRUITLESS_CONNECTIONS_TO_ABANDON) {
                abandoned = true;
                ledger.giveUpAll(cause);
                return;
            }
            listener.connectionLost(cause);
            scheduleReconnect(1, ReconnectBackoff.FIRST);
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
        reconnector.schedule(() -> reconnect(attempt, delay), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconnect(int attempt, Duration delay) {
        if (closing) {
            return;
        }
        // Paho bounds the TCP connect and the handshake but not the wait for CONNACK: an attempt we stopped
        // waiting for may still succeed in the background, and a new one is then refused (32100 already
        // connected, 32110 connect in progress). So a connected client is success, whoever connected it.
        if (!client.isConnected()) {
            try {
                client.connect(options).waitForCompletion(settings.connectTimeout().toMillis() + 5_000);
            } catch (MqttException | RuntimeException e) {
                if (e instanceof MqttException m && refusesLogin(m)) {
                    reconnectRefusal = ConnectFailures.explain(m, settings);
                }
                if (!client.isConnected()) {
                    scheduleReconnect(attempt + 1, ReconnectBackoff.after(delay));
                    return;
                }
            }
        }
        reconnectRefusal = null;
        lostSinceNanos = 0;
        ledger.connected();
        synchronized (sending) {
            reconnecting = false;
            sentSinceConnect = false;
            acknowledgedSinceConnect = false;
            ledger.forEachUnsettled((sequence, entry) -> {
                if (entry.sentBefore) {
                    listener.redelivered(sequence);
                }
                send(sequence, entry);
            });
        }
        listener.reconnected(attempt);
    }

    /**
     * Waits until every message sent has been acknowledged or given up (its delivery timeout passed); false when
     * {@code timeout} ran out first.
     */
    public boolean awaitOutstanding(Duration timeout) throws InterruptedException {
        return ledger.awaitAllSettled(timeout, () -> stopWaiting, GRACE_AFTER_STOP);
    }

    /**
     * True once the broker closed the connection right after our publishes, without acknowledging any, several
     * connections in a row: its ACL most likely denies the topic. Every message is then given up at once.
     */
    public boolean abandoned() {
        return abandoned;
    }

    /**
     * The one line for an {@link #abandoned} run: the broker's ACL most likely denies {@code topic}. Publish runs
     * and {@code check} say it in the same words.
     */
    public Failure aclDenial(String topic) {
        return new Failure(Failure.Kind.NOT_DELIVERED, settings.endpoint() + " closed the connection right after our"
                + " PUBLISH to '" + topic + "', every time and before acknowledging any: its ACL probably denies that"
                + " topic to " + settings.clientId() + " (EMQX disconnects on a denied publish)", lastLoss.get());
    }

    private static boolean refusesLogin(MqttException e) {
        int code = e.getReasonCode();
        return code == MqttException.REASON_CODE_FAILED_AUTHENTICATION || code == MqttException.REASON_CODE_NOT_AUTHORIZED
                || code == MqttException.REASON_CODE_INVALID_CLIENT_ID;
    }

    /**
     * True once the connection has been down for longer than the delivery timeout: everything sent has expired,
     * and every new reading would only wait out its own timeout. The run should end.
     */
    public boolean brokerGone() {
        long since = lostSinceNanos;
        return since != 0 && System.nanoTime() - since > settings.deliveryTimeout().toNanos();
    }

    /** The broker's refusal of our login on the latest reconnect attempt, if it refused. */
    public Optional<Failure> reconnectRefusal() {
        return Optional.ofNullable(reconnectRefusal);
    }

    /** Why the connection last dropped, if it did. */
    public Throwable lastConnectionLoss() {
        return lastLoss.get();
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
        if (shared == null) {
            expirer.shutdownNow();
            reconnector.shutdownNow();
        } else if (expiry != null) {
            expiry.cancel(false);
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // Closing releases local resources only.
        }
    }
}
