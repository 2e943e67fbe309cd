package com.tesaiot.publish.testing.brokers;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A mutual-TLS MQTT subscriber for counting what a mosquitto broker delivered. It is subscribed when
 * {@link #subscribe} returns, so a test subscribes first and publishes after. Paho 1.2.5 spends about 300 ms in
 * every connect (its three threads are each awaited in 100 ms sleeps), so share one per test class. Its TLS set-up comes from JDK key
 * stores, not from the tool's PEM code, so it cannot share the tool's mistakes.
 */
public final class MosquittoSubscriber implements AutoCloseable {

    /** Topics the subscriber writes to itself to learn that everything sent before has arrived. */
    public static final String FENCE_TOPIC_PREFIX = "mosquitto-test/fence/";

    /** One message as the subscriber received it. */
    public record Message(String topic, byte[] payload, int qos) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final MqttClient client;
    private final List<Message> received = new CopyOnWriteArrayList<>();

    private MosquittoSubscriber(MqttClient client) {
        this.client = client;
    }

    /** Connects as a fresh client id over {@code tls} and subscribes to {@code topicFilter} at QoS 1. */
    public static MosquittoSubscriber subscribe(int port, SSLSocketFactory tls, String topicFilter) throws MqttException {
        MqttClient client = new MqttClient("ssl://localhost:" + port,
                "mosquitto-test-subscriber-" + CLIENTS.incrementAndGet(), new MemoryPersistence());
        MosquittoSubscriber subscriber = new MosquittoSubscriber(client);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setSocketFactory(tls);
        options.setConnectionTimeout(10);
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                subscriber.received.add(new Message(topic, message.getPayload(), message.getQos()));
            }

            @Override
            public void connectionLost(Throwable cause) {
                // A test then sees too few messages and fails with the count.
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        try {
            client.connect(options);
            // subscribe() returns after the SUBACK: from here on, the broker forwards every match to us.
            String[] filters = topicFilter.equals("#") ? new String[] {"#"}
                    : new String[] {topicFilter, FENCE_TOPIC_PREFIX + "#"};
            int[] qos = new int[filters.length];
            Arrays.fill(qos, 1);
            client.subscribe(filters, qos);
        } catch (MqttException e) {
            subscriber.close();
            throw e;
        }
        return subscriber;
    }

    /** A client socket factory from a PKCS#12 identity (key and chain) and a trust store of CA certificates. */
    public static SSLSocketFactory socketFactory(KeyStore identity, char[] password, KeyStore trusted)
            throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /** Waits until at least {@code count} messages have arrived on {@code topic}, and returns them all. */
    public List<Message> awaitMessagesOn(String topic, int count) {
        await("%d message(s) on %s at the subscriber".formatted(count, topic))
                .atMost(DELIVERY_TIMEOUT)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> messagesOn(topic).size() >= count);
        return messagesOn(topic);
    }

    /**
     * Publishes a fence message and waits for it; then every message published to the broker before this call
     * has arrived: the broker forwards to one subscriber in order. This is how a test shows that something did
     * <em>not</em> arrive without sleeping.
     */
    public void awaitFence() throws MqttException {
        String fence = FENCE_TOPIC_PREFIX + UUID.randomUUID();
        client.publish(fence, new byte[0], 1, false);
        await("the fence message " + fence)
                .atMost(DELIVERY_TIMEOUT)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> received.stream().anyMatch(m -> m.topic().equals(fence)));
    }

    /** The messages received on {@code topic} so far, in order of arrival. */
    public List<Message> messagesOn(String topic) {
        return received.stream().filter(m -> m.topic().equals(topic)).toList();
    }

    /** Every message received so far, fences aside, in order of arrival. */
    public List<Message> messages() {
        return received.stream().filter(m -> !m.topic().startsWith(FENCE_TOPIC_PREFIX)).toList();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000);
            }
            client.close(true);
        } catch (MqttException e) {
            // Only local resources are left to release.
        }
    }
}
