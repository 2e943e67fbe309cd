package com.tesaiot.publish.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PayloadSchemaTest {

    private static final List<String> DATA_FIELDS = List.of("spo2", "spo2_unit", "temperature", "temperature_unit",
            "heart_rate", "heart_rate_bpm", "perfusion_index", "motion", "signal_quality", "rhythm",
            "rr_interval_ms", "qt_interval_ms", "site");

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void writesThePlatformsFieldsInItsOrderWithItsTypesAndUnits() {
        TelemetryStream stream = new TelemetryStream("dev-42", Scenario.NORMAL, 1, Duration.ofSeconds(5));
        JsonNode payload = Readings.tree(stream.nextPayload(Readings.START));

        assertEquals(List.of("device_id", "timestamp", "data"), fieldNames(payload));
        assertEquals("dev-42", payload.get("device_id").textValue());
        JsonNode data = payload.get("data");
        assertEquals(DATA_FIELDS, fieldNames(data));
        assertEquals("%", data.get("spo2_unit").textValue());
        assertEquals("°C", data.get("temperature_unit").textValue());
        for (String integer : List.of("spo2", "heart_rate", "heart_rate_bpm", "signal_quality", "rr_interval_ms",
                "qt_interval_ms")) {
            assertTrue(data.get(integer).isInt(), integer + " should be an integer in " + data);
        }
        assertTrue(data.get("temperature").isDouble(), data.toString());
        assertTrue(data.get("perfusion_index").isDouble(), data.toString());
        assertTrue(data.get("motion").isBoolean(), data.toString());
        assertTrue(data.get("rhythm").isTextual(), data.toString());
        assertTrue(List.of("temporal", "oral", "core").contains(data.get("site").textValue()), data.toString());
    }

    @Test
    void stampsUtcAtWholeSecondsWithAPlusZeroOffsetRatherThanZ() {
        TelemetryStream stream = new TelemetryStream("dev-42", Scenario.NORMAL, 1, Duration.ZERO);

        String first = Readings.tree(stream.nextPayload(Instant.parse("2026-11-24T10:30:45.987654Z")))
                .get("timestamp").textValue();
        String sameSecond = Readings.tree(stream.nextPayload(Instant.parse("2026-11-24T10:30:45.999Z")))
                .get("timestamp").textValue();
        String nextSecond = Readings.tree(stream.nextPayload(Instant.parse("2026-11-24T10:30:46Z")))
                .get("timestamp").textValue();

        assertEquals("2026-11-24T10:30:45+00:00", first);
        assertEquals("2026-11-24T10:30:45+00:00", sameSecond);
        assertEquals("2026-11-24T10:30:46+00:00", nextSecond);
    }

    @Test
    void writesTheDegreeSignAsUtf8() {
        byte[] payload = new TelemetryStream("dev-42", Scenario.NORMAL, 1, Duration.ofSeconds(5))
                .nextPayload(Readings.START);

        assertTrue(new String(payload, StandardCharsets.UTF_8).contains("\"temperature_unit\":\"\u00b0C\""),
                new String(payload, StandardCharsets.UTF_8));
    }

    @Test
    void writesTemperatureAndPerfusionIndexWithExactlyOneDecimal() {
        Pattern oneDecimal = Pattern.compile(
                "\"temperature\":\\d{2}\\.\\d,.*\"perfusion_index\":\\d{1,2}\\.\\d,");
        for (Scenario scenario : Scenario.values()) {
            TelemetryStream stream = new TelemetryStream("dev-42", scenario, 3, Duration.ofSeconds(5));
            for (int i = 0; i < 2_000; i++) {
                String json = new String(stream.nextPayload(Readings.START), StandardCharsets.UTF_8);
                assertTrue(oneDecimal.matcher(json).find(), scenario + ": " + json);
            }
        }
    }

    @Test
    void usesTheDeviceIdGivenAsIs() {
        String deviceId = "ward-3/bed \"12\"";
        byte[] payload = new TelemetryStream(deviceId, Scenario.NORMAL, 1, Duration.ofSeconds(5))
                .nextPayload(Readings.START);

        assertEquals(deviceId, Readings.tree(payload).get("device_id").textValue());
    }
}
