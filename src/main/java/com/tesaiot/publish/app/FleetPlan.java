package com.tesaiot.publish.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A fleet run's settings, checked by the front end: which bundles, which slice of them, how fast devices connect,
 * and each device's delivery settings, the same as a single device run's.
 *
 * @param devices      use only the first this many devices (by id), before any sharding
 * @param connectRate  devices that start connecting per second while the fleet ramps up
 * @param keyPassword  the password of the devices' encrypted keys, if they have one
 */
public record FleetPlan(
        Path bundles,
        Optional<Integer> devices,
        Optional<Shard> shard,
        DeliverySettings delivery,
        ScenarioMix scenarios,
        double connectRate,
        Optional<char[]> keyPassword,
        List<String> notes) {
}
