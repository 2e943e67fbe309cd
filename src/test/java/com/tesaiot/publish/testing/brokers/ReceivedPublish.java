package com.tesaiot.publish.testing.brokers;

import java.nio.charset.StandardCharsets;

/** One PUBLISH as the broker received it, before any rule acted on it. */
public record ReceivedPublish(String clientId, String topic, byte[] payload, int qos) {

    /** The payload as UTF-8 text (our payloads are JSON). */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ReceivedPublish[clientId=" + clientId + ", topic=" + topic + ", qos=" + qos + ", payload="
                + payloadText() + "]";
    }
}
