package com.tesaiot.publish.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Runs a {@link TelemetryStream} the way the publisher does and reads each payload back as the platform would. */
final class Readings {

    static final Instant START = Instant.parse("2026-11-24T10:30:45Z");
    static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    /** {@code --period 10 --interval 5}. */
    static final int TEN_MINUTES_AT_FIVE_SECONDS = 120;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Readings() {
    }

    /** One payload's data object, with each field's JSON type checked on the way in. */
    record Reading(int index, int spo2, double temperature, int heartRate, int heartRateBpm, double perfusionIndex,
                   boolean motion, int signalQuality, String rhythm, int rrIntervalMs, int qtIntervalMs,
                   String site) {

        double expectedRrMs() {
            return 60_000.0 / heartRate;
        }

        /** QT corrected for the reported rate with Fridericia's formula. */
        double qtcFridericia() {
            return qtIntervalMs / Math.cbrt(expectedRrMs() / 1000.0);
        }
    }

    static List<Reading> run(Scenario scenario, long seed, Duration interval, int count) {
        TelemetryStream stream = new TelemetryStream("patient-monitor-1", scenario, seed, interval);
        List<Reading> readings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            readings.add(parse(i, stream.nextPayload(START.plus(interval.multipliedBy(i)))));
        }
        return readings;
    }

    static List<Reading> tenMinutes(Scenario scenario, long seed) {
        return run(scenario, seed, FIVE_SECONDS, TEN_MINUTES_AT_FIVE_SECONDS);
    }

    static int firstIndexWhere(List<Reading> readings, Predicate<Reading> condition) {
        for (Reading reading : readings) {
            if (condition.test(reading)) {
                return reading.index();
            }
        }
        return -1;
    }

    static JsonNode tree(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Reading parse(int index, byte[] payload) {
        JsonNode data = tree(payload).get("data");
        if (data == null) {
            throw new AssertionError("no data object in payload " + index);
        }
        return new Reading(index,
                integer(data, "spo2"),
                decimal(data, "temperature"),
                integer(data, "heart_rate"),
                integer(data, "heart_rate_bpm"),
                decimal(data, "perfusion_index"),
                bool(data, "motion"),
                integer(data, "signal_quality"),
                text(data, "rhythm"),
                integer(data, "rr_interval_ms"),
                integer(data, "qt_interval_ms"),
                text(data, "site"));
    }

    private static int integer(JsonNode data, String field) {
        JsonNode node = field(data, field);
        if (!node.isInt()) {
            throw new AssertionError(field + " is not an integer: " + data);
        }
        return node.intValue();
    }

    private static double decimal(JsonNode data, String field) {
        JsonNode node = field(data, field);
        if (!node.isDouble()) {
            throw new AssertionError(field + " is not a decimal number: " + data);
        }
        return node.doubleValue();
    }

    private static boolean bool(JsonNode data, String field) {
        JsonNode node = field(data, field);
        if (!node.isBoolean()) {
            throw new AssertionError(field + " is not a boolean: " + data);
        }
        return node.booleanValue();
    }

    private static String text(JsonNode data, String field) {
        JsonNode node = field(data, field);
        if (!node.isTextual()) {
            throw new AssertionError(field + " is not a string: " + data);
        }
        // Interned: long runs keep hundreds of thousands of readings, with only a handful of distinct strings.
        return node.textValue().intern();
    }

    private static JsonNode field(JsonNode data, String field) {
        JsonNode node = data.get(field);
        if (node == null) {
            throw new AssertionError("missing " + field + ": " + data);
        }
        return node;
    }
}
