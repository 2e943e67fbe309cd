package com.tesaiot.publish.app;

import com.tesaiot.publish.telemetry.Scenario;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which share of a fleet's devices plays which patient scenario ({@code normal=90,fever=5,afib=5}). A device's
 * scenario follows from its id alone, so it is the same in every run, process and shard.
 */
public final class ScenarioMix {
    private final Map<Scenario, Integer> weights;
    private final int total;

    private ScenarioMix(Map<Scenario, Integer> weights) {
        this.weights = Collections.unmodifiableMap(weights);
        this.total = weights.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Every device plays {@code scenario}. */
    public static ScenarioMix only(Scenario scenario) {
        return new ScenarioMix(new LinkedHashMap<>(Map.of(scenario, 1)));
    }

    /**
     * Reads {@code name=weight,...}: weights are whole numbers, 0 or more, adding up to more than 0.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static ScenarioMix parse(String text) {
        Map<Scenario, Integer> weights = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            String[] nameAndWeight = part.strip().split("=", -1);
            if (nameAndWeight.length != 2 || nameAndWeight[0].isBlank()) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not name=weight (as in normal=90,fever=5,afib=5)");
            }
            Scenario scenario = Scenario.fromCliName(nameAndWeight[0]);
            int weight;
            try {
                weight = Integer.parseInt(nameAndWeight[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the weight of " + scenario.cliName() + " must be a whole number, not '"
                        + nameAndWeight[1].strip() + "'");
            }
            if (weight < 0 || weight > 1_000_000) {
                throw new IllegalArgumentException("the weight of " + scenario.cliName() + " must be within 0..1000000, not " + weight);
            }
            if (weights.putIfAbsent(scenario, weight) != null) {
                throw new IllegalArgumentException(scenario.cliName() + " is given twice");
            }
        }
        if (weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException("the weights add up to 0: give at least one scenario a weight above 0");
        }
        return new ScenarioMix(weights);
    }

    /** The scenario of device {@code deviceId}: its id's hash picks a point on the weights' scale. */
    public Scenario scenarioOf(String deviceId) {
        long point = Math.floorMod(stableHash("scenario:" + deviceId), (long) total);
        for (Map.Entry<Scenario, Integer> entry : weights.entrySet()) {
            point -= entry.getValue();
            if (point < 0) {
                return entry.getKey();
            }
        }
        throw new IllegalStateException("a point below the weights' total always falls in a scenario");
    }

    /** The telemetry seed of device {@code deviceId} in a fleet seeded with {@code fleetSeed}. */
    public static long seedOf(long fleetSeed, String deviceId) {
        return fleetSeed ^ stableHash("seed:" + deviceId);
    }

    /** The first 8 bytes of SHA-256: the same on every JVM, unlike String.hashCode's spread. */
    private static long stableHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long hash = 0;
            for (int i = 0; i < 8; i++) {
                hash = hash << 8 | (digest[i] & 0xff);
            }
            return hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return weights.entrySet().stream().map(e -> e.getKey().cliName() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
