package com.tesaiot.publish.app;

import com.tesaiot.publish.mqtt.Topics;
import com.tesaiot.publish.telemetry.Scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A device run's settings, checked and resolved by the front end: how many readings, how paced, where to, and
 * what to print. Nothing here touches the network.
 */
public record RunPlan(
        long count,
        Duration interval,
        boolean dryRun,
        Optional<String> topic,
        int qos,
        Scenario scenario,
        long seed,
        int maxInflight,
        Duration deliveryTimeout,
        OutputFormat output,
        Optional<Path> outbox,
        boolean skipUnreadableOutboxLines,
        Duration stallFloor,
        List<String> notes) {

    /** The topic of this run: the one given, else the device's telemetry topic. */
    public String topicFor(String deviceId) {
        return topic.orElse(Topics.telemetryOf(deviceId));
    }
}
