package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.Failure;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Words a failed step on the way to the broker (name lookup, TCP connect, TLS handshake) exactly as a failed
 * CONNECT over that step would be worded, so that {@code check} and a publish run name a fault alike.
 */
public final class ProbeFailures {
    private ProbeFailures() {
    }

    public static Failure explain(Exception cause, ConnectionSettings settings) {
        // Paho wraps such causes in a client exception; the translation reads the causes, not the wrapper.
        return ConnectFailures.explain(new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, cause), settings);
    }
}
