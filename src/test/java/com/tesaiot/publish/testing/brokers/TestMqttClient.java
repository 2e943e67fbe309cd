package com.tesaiot.publish.testing.brokers;

import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A plain Paho client for probing a test broker (never the code under test): MQTT 3.1.1, clean session, no files
 * written, every call bounded by a timeout, and closable even while connected.
 */
public final class TestMqttClient implements AutoCloseable {

    private static final int TIMEOUT_SECONDS = 10;

    private final MqttClient client;

    private TestMqttClient(MqttClient client) {
        this.client = client;
    }

    /** Connects to {@code serverUri} over {@code sockets}; {@code userName} and {@code password} may be null. */
    public static TestMqttClient connect(String serverUri, String clientId, SSLSocketFactory sockets,
            String userName, String password) throws MqttException {
        MqttClient client = new MqttClient(serverUri, clientId, new MemoryPersistence());
        client.setTimeToWait(TIMEOUT_SECONDS * 1000L);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setConnectionTimeout(TIMEOUT_SECONDS);
        options.setSocketFactory(sockets);
        if (userName != null) {
            options.setUserName(userName);
        }
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return new TestMqttClient(client);
    }

    /** Publishes {@code payload} and, for QoS 1 and 2, returns once the broker acknowledged it. */
    public void publish(String topic, String payload, int qos) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** The Paho client, for what this class does not offer (subscribing, callbacks). */
    public MqttClient paho() {
        return client;
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect(TIMEOUT_SECONDS * 1000L);
            }
        } finally {
            client.close(true);
        }
    }
}
