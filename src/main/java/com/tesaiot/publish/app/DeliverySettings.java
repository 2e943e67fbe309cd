package com.tesaiot.publish.app;

import com.tesaiot.publish.mqtt.Topics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How one device's readings are made and delivered, the same for {@code publish} and every device of a
 * {@code fleet}: how many, how paced, on which topic, at which QoS, with which window, timeouts and outbox.
 *
 * @param topic       a topic, where {@code {device_id}} stands for the device's id; empty for its telemetry topic
 * @param outbox      the journal directory of one device, or of a fleet (each device in a folder named by its id)
 * @param stallFloor  acknowledgements missing this long while messages wait mean a stalled connection
 */
public record DeliverySettings(
        long count,
        Duration interval,
        Optional<String> topic,
        int qos,
        long seed,
        int maxInflight,
        Duration deliveryTimeout,
        Duration stallFloor,
        Optional<Path> outbox,
        boolean skipUnreadableOutboxLines,
        OutputFormat output) {

    /** What a topic template stands for the device id in. */
    public static final String DEVICE_ID_PLACEHOLDER = "{device_id}";

    /** The topic of device {@code deviceId}: the template with its id filled in, else its telemetry topic. */
    public String topicFor(String deviceId) {
        return topic.map(t -> t.replace(DEVICE_ID_PLACEHOLDER, deviceId)).orElse(Topics.telemetryOf(deviceId));
    }
}
