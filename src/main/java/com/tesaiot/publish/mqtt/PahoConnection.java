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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The Paho client of one device and the threads it runs on: its options (MQTT 3.1.1, clean session, our TLS
 * socket factory, no automatic reconnect), the first connect, one reconnect attempt, a PUBLISH, and closing.
 * It decides nothing: what a loss means and when to reconnect is {@link Reconnection}'s.
 */
final class PahoConnection {
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final ConnectionSettings settings;
    /** Expires overdue messages; a thread of its own, so a reconnect attempt that blocks does not delay it. */
    private final ScheduledExecutorService expirer;
    private final ScheduledExecutorService reconnector;
    /** A fleet's shared timers are its own to shut down; a lone connection's die with it. */
    private final SharedTimers shared;

    private PahoConnection(MqttAsyncClient client, ConnectionSettings settings, SharedTimers shared) {
        this.client = client;
        this.settings = settings;
        this.shared = shared;
        this.options = options(settings);
        this.expirer = shared != null ? shared.expiry() : daemonScheduler("tesaiot-publish-expiry");
        this.reconnector = shared != null ? shared.reconnects() : daemonScheduler("tesaiot-publish-reconnect");
    }

    /**
     * A client for {@code settings}, not yet connected. Pings and timers run on {@code shared} (null: threads of its
     * own), so that many connections need few threads.
     */
    static PahoConnection create(ConnectionSettings settings, SharedTimers shared) throws Failure {
        MqttAsyncClient client;
        try {
            // MemoryPersistence: the default file persistence would litter the working directory. PahoThreadPool:
            // Paho's own threads would sleep 300 ms per connection before CONNECT. A fleet's pings share its timers.
            client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence(),
                    shared == null ? new TimerPingSender() : new ScheduledExecutorPingSender(shared.pings()),
                    new PahoThreadPool(settings.clientId(), shared != null));
        } catch (MqttException | IllegalArgumentException e) {
            throw new Failure(Failure.Kind.USAGE, "cannot use broker address " + settings.endpoint() + " or client id '"
                    + settings.clientId() + "': " + e.getMessage(), e);
        }
        return new PahoConnection(client, settings, shared);
    }

    /** {@code lost} hears every loss of the connection, on Paho's thread. */
    void onLoss(Consumer<Throwable> lost) {
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.accept(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // A publisher subscribes to nothing.
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // Each publish has its own listener.
            }
        });
    }

    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(name));
    }

    /**
     * Paho's own in-flight limit for our {@code window}, which is what bounds the messages in flight. Paho's count is
     * looser: a message our window gave up on (delivery timeout) stays in it until acknowledged or the connection
     * drops (seen: "too many publishes in progress" while a broker shut down, with our window not full), so its
     * limit leaves room for 16 windows, at most every message id MQTT has (65535). Not simply 65535: Paho makes a
     * list of that capacity twice per connect, 512 KiB of garbage, and a 1 000-device fleet connecting in a 512 MiB
     * pod grew its heap to the limit with it (peak RSS 499 MiB; 335 MiB with this limit).
     */
    static int pahoMaxInflight(int window) {
        return Math.min(65_535, 16 * Math.max(64, window));
    }

    private static MqttConnectOptions options(ConnectionSettings settings) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setSocketFactory(settings.socketFactory());
        options.setHttpsHostnameVerificationEnabled(settings.verifyHostName());
        options.setMaxInflight(pahoMaxInflight(settings.maxInflight()));
        options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        options.setAutomaticReconnect(false);
        settings.userName().ifPresent(options::setUserName);
        settings.password().ifPresent(p -> options.setPassword(p.reveal().toCharArray()));
        return options;
    }

    /**
     * The first connect: true once connected, false when {@code stopRequested} turned true meanwhile (Ctrl-C during
     * a slow connect). A failure is explained in one line and not retried: that is a configuration to fix, not a
     * network blip.
     */
    boolean connectFirst(BooleanSupplier stopRequested) throws Failure, InterruptedException {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        try {
            client.connect(options, null, new IMqttActionListener() {
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
                    return false;
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
            return true;
        } catch (ExecutionException e) {
            throw ConnectFailures.explain(e.getCause() instanceof MqttException m ? m : new MqttException(e.getCause()), settings);
        } catch (MqttException e) {
            throw ConnectFailures.explain(e, settings);
        }
    }

    /**
     * One reconnect attempt; returns normally once connected. Paho bounds the TCP connect and the handshake but not
     * the wait for CONNACK: an attempt we stopped waiting for may still succeed in the background, and a new one is
     * then refused (32100 already connected, 32110 connect in progress). So a connected client is success, whoever
     * connected it.
     */
    void connectAgain() throws MqttException {
        if (client.isConnected()) {
            return;
        }
        try {
            client.connect(options).waitForCompletion(settings.connectTimeout().toMillis() + 5_000);
        } catch (MqttException | RuntimeException e) {
            if (!client.isConnected()) {
                throw e instanceof MqttException m ? m : new MqttException(e);
            }
        }
    }

    /** Hands one PUBLISH to Paho; {@code outcome} hears when it was acknowledged (QoS 0: written) or failed. */
    void publish(String topic, byte[] payload, int qos, IMqttActionListener outcome) throws MqttException {
        client.publish(topic, payload, qos, false, null, outcome);
    }

    /** Closes the socket at once, without DISCONNECT: the peer stopped answering. */
    void dropForcibly() {
        try {
            client.disconnectForcibly(0, 100, false);
        } catch (MqttException e) {
            // The socket is closed either way; a reconnect opens a new one.
        }
    }

    ScheduledExecutorService expirer() {
        return expirer;
    }

    ScheduledExecutorService reconnector() {
        return reconnector;
    }

    /** Says DISCONNECT when connected, then releases the client and its threads. */
    void close() {
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

    /** Releases the client and the threads of its own, without a word to the broker. */
    void shutdown() {
        if (shared == null) {
            expirer.shutdownNow();
            reconnector.shutdownNow();
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // Closing releases local resources only.
        }
    }
}
