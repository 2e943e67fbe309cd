package com.tesaiot.publish.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;

import java.util.concurrent.atomic.AtomicReference;

/** Keeps the cause of a lost connection, so the failure line can say why, not just that. */
final class ConnectionLossRecorder implements MqttCallback {
    private final AtomicReference<Throwable> lost;

    ConnectionLossRecorder(AtomicReference<Throwable> lost) {
        this.lost = lost;
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost.compareAndSet(null, cause);
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
