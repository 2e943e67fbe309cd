package com.tesaiot.publish.telemetry;

import java.util.Random;

/**
 * An Ornstein–Uhlenbeck deviation from zero, sampled at a fixed step and held within a few standard deviations.
 *
 * <p>The update is the exact transition of the continuous process over {@code stepSeconds}, so a 1 s and a 60 s
 * interval show the drift a real signal has over that time, not the same jump per reading. The bound keeps a
 * healthy patient healthy: without it a long enough run would eventually wander across an alarm threshold.
 */
final class MeanRevertingWalk {

    /** Far enough out that the bound is rarely touched (about 1 reading in 2 000), near enough to guarantee ranges. */
    static final double BOUND_IN_STANDARD_DEVIATIONS = 3.5;

    private final double decay;
    private final double innovationScale;
    private final double bound;
    private double value;

    MeanRevertingWalk(double stationarySd, double timeConstantSeconds, double stepSeconds, Random random) {
        decay = StrictMath.exp(-stepSeconds / timeConstantSeconds);
        innovationScale = stationarySd * StrictMath.sqrt(1 - decay * decay);
        bound = BOUND_IN_STANDARD_DEVIATIONS * stationarySd;
        // Start from the stationary distribution so the first reading is as typical as the thousandth.
        value = clamp(stationarySd * random.nextGaussian());
    }

    double value() {
        return value;
    }

    void step(Random random) {
        value = clamp(value * decay + innovationScale * random.nextGaussian());
    }

    private double clamp(double x) {
        return Math.max(-bound, Math.min(bound, x));
    }
}
