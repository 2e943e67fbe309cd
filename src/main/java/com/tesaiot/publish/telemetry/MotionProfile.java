package com.tesaiot.publish.telemetry;

/**
 * How often the wearer moves and how much that spoils the optical signals.
 *
 * <p>Episodes alternate with rest periods, both exponentially distributed in simulated time; each episode has an
 * intensity between {@code weakestIntensity} and 1 that scales every effect below.
 *
 * @param qualityDrop signal-quality points lost at intensity 1
 * @param perfusionDrop fraction of the perfusion index lost at intensity 1
 * @param spo2NoiseSd extra SpO2 scatter (percentage points, one standard deviation) at intensity 1
 * @param firstEpisodeAtSeconds when a scheduled first episode starts, or NaN for none
 * @param firstEpisodeSeconds how long that scheduled episode lasts
 */
record MotionProfile(double meanRestSeconds, double meanEpisodeSeconds, double weakestIntensity,
                     double qualityDrop, double perfusionDrop, double spo2NoiseSd,
                     double firstEpisodeAtSeconds, double firstEpisodeSeconds) {

    /** A resting patient who shifts about now and then; the signal stays good enough to classify the rhythm. */
    static final MotionProfile EVERYDAY = new MotionProfile(480, 40, 0.5, 18, 0.35, 0.8, Double.NaN, 0);

    /** A restless patient: long, frequent episodes that ruin the signal, the first one at minute 1. */
    static final MotionProfile ARTIFACT = new MotionProfile(90, 60, 0.6, 55, 0.65, 2.5, 60, 75);

    boolean hasScheduledFirstEpisode() {
        return !Double.isNaN(firstEpisodeAtSeconds);
    }
}
