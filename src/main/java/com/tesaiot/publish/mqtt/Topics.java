package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.Failure;
import org.eclipse.paho.client.mqttv3.MqttTopic;

import java.util.Optional;

/** The platform's topic for a device, and whether a topic can be published to at all. */
public final class Topics {
    private Topics() {
    }

    /** device/{device_id}/telemetry: where the platform expects a device's readings. */
    public static String telemetryOf(String deviceId) {
        return "device/" + deviceId + "/telemetry";
    }

    /**
     * Refuses, before any connection, a topic no message can go to: a usage error when the user gave the topic,
     * a bundle problem when it was made from a device id that cannot stand in a topic.
     */
    public static void requirePublishable(String topic, boolean userGiven) throws Failure {
        Optional<String> problem = problemWith(topic);
        if (problem.isPresent()) {
            throw userGiven ? new Failure(Failure.Kind.USAGE, problem.get())
                    : new Failure(Failure.Kind.BUNDLE, problem.get() + "; the device id must not contain + or #");
        }
    }

    /** Why a message cannot be published to {@code topic} (a wildcard, an empty or over-long name), if it cannot. */
    public static Optional<String> problemWith(String topic) {
        try {
            MqttTopic.validate(topic, false);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("topic '" + topic + "' cannot be published to: "
                    + (topic.contains("+") || topic.contains("#") ? "it holds a wildcard (+ or #)" : e.getMessage()));
        }
    }
}
