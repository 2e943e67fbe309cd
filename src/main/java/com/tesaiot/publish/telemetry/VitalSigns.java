package com.tesaiot.publish.telemetry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One reading, already rounded as the platform's schema shows it; serialises as the payload's {@code data}. */
@JsonPropertyOrder({"spo2", "spo2_unit", "temperature", "temperature_unit", "heart_rate", "heart_rate_bpm",
        "perfusion_index", "motion", "signal_quality", "rhythm", "rr_interval_ms", "qt_interval_ms", "site"})
record VitalSigns(
        @JsonProperty("spo2") int spo2,
        @JsonProperty("temperature") double temperature,
        @JsonProperty("heart_rate") int heartRate,
        @JsonProperty("perfusion_index") double perfusionIndex,
        @JsonProperty("motion") boolean motion,
        @JsonProperty("signal_quality") int signalQuality,
        @JsonProperty("rhythm") Rhythm rhythm,
        @JsonProperty("rr_interval_ms") int rrIntervalMs,
        @JsonProperty("qt_interval_ms") int qtIntervalMs,
        @JsonProperty("site") MeasurementSite site) {

    @JsonProperty("spo2_unit")
    String spo2Unit() {
        return "%";
    }

    @JsonProperty("temperature_unit")
    String temperatureUnit() {
        return "°C";
    }

    /** The platform's schema carries the rate twice; the original generator drew them separately. */
    @JsonProperty("heart_rate_bpm")
    int heartRateBpm() {
        return heartRate;
    }
}
