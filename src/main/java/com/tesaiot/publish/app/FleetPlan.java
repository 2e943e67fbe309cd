package com.tesaiot.publish.app;

import com.tesaiot.publish.mqtt.Topics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A fleet run's settings, checked by the front end: which bundles, which slice of them, and each device's schedule
 * (as a single device run's), how fast devices connect, and what to print.
 *
 * @param topic        a topic with {@code {device_id}} in it, or empty for each device's telemetry topic
 * @param devices      use only the first this many devices (by id), before any sharding
 * @param connectRate  devices that start connecting per second while the fleet ramps up
 */
public record FleetPlan(
        Path bundles,
        Optional<Integer> devices,
        Optional<Shard> shard,
        long count,
        Duration interval,
        Optional<String> topic,
        ScenarioMix scenarios,
        long seed,
        int maxInflight,
        Duration deliveryTimeout,
        double connectRate,
        OutputFormat output) {

    /** What a topic template stands for the device id in. */
    public static final String DEVICE_ID_PLACEHOLDER = "{device_id}";

    /** The topic of device {@code deviceId}. */
    public String topicFor(String deviceId) {
        return topic.map(t -> t.replace(DEVICE_ID_PLACEHOLDER, deviceId)).orElse(Topics.telemetryOf(deviceId));
    }
}
