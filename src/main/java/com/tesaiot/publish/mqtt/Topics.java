package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.Failure;
import org.eclipse.paho.client.mqttv3.MqttTopic;

import java.nio.charset.StandardCharsets;
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
                    : new Failure(Failure.Kind.BUNDLE, problem.get()
                            + (topic.contains("+") || topic.contains("#") ? "; the device id must not contain + or #" : ""));
        }
    }

    /** MQTT 3.1.1 (1.5.3): a topic name is a UTF-8 string of at most 65 535 bytes. */
    private static final int MAX_BYTES = 65_535;
    /** A topic is echoed in a message up to this many characters: past it, its start and its length say enough. */
    private static final int SHOWN_CHARACTERS = 80;

    /**
     * Why a message cannot be published to {@code topic} (a wildcard, an empty or over-long name), if it cannot. Our
     * own words, not Paho's: its "Invalid topic length, should be in range[1, 65535]!" names neither the topic nor
     * the unit (bytes of UTF-8, not characters).
     */
    public static Optional<String> problemWith(String topic) {
        if (topic.isEmpty()) {
            return Optional.of("the topic is empty: a message needs a topic to go to");
        }
        String cannot = "topic " + shown(topic) + " cannot be published to: ";
        if (topic.contains("+") || topic.contains("#")) {
            return Optional.of(cannot + "it holds a wildcard (+ or #)");
        }
        // MQTT 3.1.1 (1.5.3) forbids U+0000 and advises against the other control characters: brokers drop the
        // connection over them (mosquitto says "Invalid UTF-8"), and a reconnect would only do it again.
        // A plain loop: this check runs in every run's start-up, where a stream would load its classes first.
        for (int i = 0; i < topic.length(); i++) {
            if (Character.isISOControl(topic.charAt(i))) {
                return Optional.of(cannot + String.format("it holds a control character (U+%04X)", (int) topic.charAt(i)));
            }
        }
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return Optional.of(cannot + "it is " + bytes + " bytes long in UTF-8, and MQTT allows at most " + MAX_BYTES);
        }
        try {
            MqttTopic.validate(topic, false);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            // What Paho refuses beyond the rules above, in its own words: better than letting it fail the publish.
            return Optional.of(cannot + e.getMessage());
        }
    }

    /**
     * The topic in quotes, or its start and its length when it is too long to read in one line; a control character
     * as its escape, so that the message stays one line.
     */
    private static String shown(String topic) {
        if (topic.length() <= SHOWN_CHARACTERS) {
            return "'" + escaped(topic) + "'";
        }
        int end = Character.isHighSurrogate(topic.charAt(SHOWN_CHARACTERS - 1)) ? SHOWN_CHARACTERS - 1 : SHOWN_CHARACTERS;
        return "'" + escaped(topic.substring(0, end)) + "...' (" + topic.length() + " characters)";
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04X", c)
                : String.valueOf((char) c)));
        return out.toString();
    }
}
