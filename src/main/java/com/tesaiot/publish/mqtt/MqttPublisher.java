package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.ExitStatus;
import com.tesaiot.publish.Failure;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One MQTT 3.1.1 connection over mutual TLS for the whole run. Publishes are pipelined up to the inflight
 * window: {@link #publish} blocks only while the window is full, and every message's fate reaches the
 * {@link DeliveryListener}, so no PUBACK goes unaccounted for.
 */
public final class MqttPublisher implements AutoCloseable {
    private final MqttAsyncClient client;
    private final ConnectionSettings settings;
    private final DeliveryListener listener;
    private final Semaphore window;
    private final AtomicReference<Throwable> connectionLost = new AtomicReference<>();

    private MqttPublisher(MqttAsyncClient client, ConnectionSettings settings, DeliveryListener listener) {
        this.client = client;
        this.settings = settings;
        this.listener = listener;
        this.window = new Semaphore(settings.maxInflight());
    }

    /** Connects, or explains in one line why the broker could not be reached or refused us. */
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
        client.setCallback(new ConnectionLossRecorder(publisher.connectionLost));
        try {
            client.connect(options(settings)).waitForCompletion(settings.connectTimeout().toMillis() + 5_000);
        } catch (MqttException e) {
            closeQuietly(client);
            throw ConnectFailures.explain(e, settings);
        }
        return publisher;
    }

    private static MqttConnectOptions options(ConnectionSettings settings) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setSocketFactory(settings.socketFactory());
        options.setHttpsHostnameVerificationEnabled(settings.verifyHostName());
        options.setMaxInflight(settings.maxInflight());
        options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        options.setAutomaticReconnect(false);
        settings.userName().ifPresent(options::setUserName);
        settings.password().ifPresent(p -> options.setPassword(p.reveal().toCharArray()));
        return options;
    }

    /**
     * Sends one message, waiting first for room in the inflight window. Its acknowledgement, or failure,
     * is reported to the listener with {@code sequence}.
     */
    public void publish(String topic, byte[] payload, int qos, long sequence) throws Failure, InterruptedException {
        window.acquire();
        long sentAt = System.nanoTime();
        try {
            client.publish(topic, payload, qos, false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    window.release();
                    listener.acknowledged(sequence, System.nanoTime() - sentAt);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    // Paho fails the pending tokens before it calls connectionLost: note the loss here already.
                    if (cause instanceof MqttException e && e.getReasonCode() == MqttException.REASON_CODE_CONNECTION_LOST) {
                        connectionLost.compareAndSet(null, cause);
                    }
                    window.release();
                    listener.failed(sequence, cause);
                }
            });
        } catch (MqttException e) {
            window.release();
            listener.failed(sequence, e);
            throw lost(e);
        }
    }

    /** Waits until every message sent has been acknowledged or has failed; false when the time ran out. */
    public boolean awaitOutstanding(Duration timeout) throws InterruptedException {
        int permits = settings.maxInflight();
        if (window.tryAcquire(permits, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            window.release(permits);
            return true;
        }
        return false;
    }

    /** Why the connection dropped mid-run, if it did. */
    public Throwable connectionLoss() {
        return connectionLost.get();
    }

    /** The one line for a connection that dropped mid-run. */
    public Failure lostConnectionFailure() {
        return lost(connectionLost.get());
    }

    private Failure lost(Throwable e) {
        Throwable cause = connectionLost.get() != null ? connectionLost.get() : e;
        return new Failure(ExitStatus.NOT_DELIVERED, "connection to " + settings.endpoint() + " lost: "
                + ConnectFailures.describe(cause), e);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            // The run's outcome is already decided; a failed DISCONNECT changes nothing for the user.
        } finally {
            closeQuietly(client);
        }
    }

    private static void closeQuietly(MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (MqttException e) {
            // Closing releases local resources only.
        }
    }
}
