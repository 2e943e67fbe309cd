package com.tesaiot.publish.telemetry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The platform's telemetry message: which device, when, and the reading. */
@JsonPropertyOrder({"device_id", "timestamp", "data"})
record TelemetryPayload(
        @JsonProperty("device_id") String deviceId,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("data") VitalSigns data) {
}
