package com.tesaiot.publish.telemetry;

/** One reading, already rounded as the platform's schema shows it: the payload's {@code data}. */
record VitalSigns(
        int spo2,
        double temperature,
        int heartRate,
        double perfusionIndex,
        boolean motion,
        int signalQuality,
        Rhythm rhythm,
        int rrIntervalMs,
        int qtIntervalMs,
        MeasurementSite site) {

    static final String SPO2_UNIT = "%";
    static final String TEMPERATURE_UNIT = "°C";

    /** The platform's schema carries the rate twice; the original generator drew them separately. */
    int heartRateBpm() {
        return heartRate;
    }
}
