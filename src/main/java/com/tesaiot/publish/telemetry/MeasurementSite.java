package com.tesaiot.publish.telemetry;

/** Where the thermometer sits; each site reads a fixed amount below core temperature. */
enum MeasurementSite {
    TEMPORAL("temporal", -0.2),
    ORAL("oral", -0.35),
    CORE("core", 0.0);

    private final String wireName;
    private final double offsetFromCore;

    MeasurementSite(String wireName, double offsetFromCore) {
        this.wireName = wireName;
        this.offsetFromCore = offsetFromCore;
    }

    String wireName() {
        return wireName;
    }

    double offsetFromCore() {
        return offsetFromCore;
    }
}
