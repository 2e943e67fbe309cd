package com.tesaiot.publish.telemetry;

import java.util.function.DoubleUnaryOperator;

/**
 * What a scenario does to the patient: where each vital heads (as a function of the patient's own baseline) and
 * along which {@link Ramp}, which rhythm takes over at onset, and how the wearer moves.
 *
 * <p>Targets are reached at full ramp progress; in between, each vital's mean lies proportionally between its
 * baseline and its target, and the patient's own variability rides on top.
 */
record ScenarioCourse(Ramp ramp,
                      DoubleUnaryOperator heartRateTarget,
                      DoubleUnaryOperator spo2Target,
                      DoubleUnaryOperator coreTemperatureTarget,
                      double perfusionFactor,
                      double signalQualityLoss,
                      RhythmTraits rhythmAfterOnset,
                      MotionProfile motion) {

    /** A patient who stays as they are. */
    static final ScenarioCourse STEADY = new ScenarioCourse(Ramp.NEVER, b -> b, b -> b, b -> b, 1, 0,
            RhythmTraits.SINUS, MotionProfile.EVERYDAY);

    static ScenarioCourse from(Ramp ramp) {
        return new ScenarioCourse(ramp, STEADY.heartRateTarget, STEADY.spo2Target, STEADY.coreTemperatureTarget,
                STEADY.perfusionFactor, STEADY.signalQualityLoss, STEADY.rhythmAfterOnset, STEADY.motion);
    }

    ScenarioCourse heartRateTo(DoubleUnaryOperator target) {
        return new ScenarioCourse(ramp, target, spo2Target, coreTemperatureTarget, perfusionFactor,
                signalQualityLoss, rhythmAfterOnset, motion);
    }

    ScenarioCourse spo2To(DoubleUnaryOperator target) {
        return new ScenarioCourse(ramp, heartRateTarget, target, coreTemperatureTarget, perfusionFactor,
                signalQualityLoss, rhythmAfterOnset, motion);
    }

    ScenarioCourse coreTemperatureTo(DoubleUnaryOperator target) {
        return new ScenarioCourse(ramp, heartRateTarget, spo2Target, target, perfusionFactor,
                signalQualityLoss, rhythmAfterOnset, motion);
    }

    ScenarioCourse perfusionTimes(double factor) {
        return new ScenarioCourse(ramp, heartRateTarget, spo2Target, coreTemperatureTarget, factor,
                signalQualityLoss, rhythmAfterOnset, motion);
    }

    ScenarioCourse signalQualityLoses(double points) {
        return new ScenarioCourse(ramp, heartRateTarget, spo2Target, coreTemperatureTarget, perfusionFactor,
                points, rhythmAfterOnset, motion);
    }

    ScenarioCourse rhythmBecomes(RhythmTraits rhythm) {
        return new ScenarioCourse(ramp, heartRateTarget, spo2Target, coreTemperatureTarget, perfusionFactor,
                signalQualityLoss, rhythm, motion);
    }

    ScenarioCourse moving(MotionProfile profile) {
        return new ScenarioCourse(ramp, heartRateTarget, spo2Target, coreTemperatureTarget, perfusionFactor,
                signalQualityLoss, rhythmAfterOnset, profile);
    }
}
