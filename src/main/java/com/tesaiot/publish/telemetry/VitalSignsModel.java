package com.tesaiot.publish.telemetry;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * One simulated patient: per-patient baselines, slow physiological wander, motion, and a scenario's course, read
 * at a fixed step of simulated time.
 *
 * <p>Everything random comes from two {@link Random}s seeded from the caller's seed. {@code Random}'s algorithms
 * (including {@code nextGaussian}) are fixed by its specification and the transcendental functions here are
 * {@link StrictMath}'s, so a seed gives the same readings on every JVM and machine. Motion has its own generator
 * so that, for the same seed, every scenario shows the same patient as {@code normal} until its onset.
 */
final class VitalSignsModel {

    /** Below this signal quality the monitor refuses to name a rhythm. */
    static final int RHYTHM_NEEDS_SIGNAL_QUALITY = 50;

    /** Moving raises the heart rate by up to this fraction (at motion intensity 1). */
    private static final double MOTION_RATE_RISE = 0.08;

    /** The shortest gap between the end of one T wave and the next beat. */
    private static final double MIN_GAP_AFTER_T_WAVE_MS = 20;

    /** QT never takes more of the cardiac cycle than this. */
    private static final double MAX_QT_SHARE_OF_RR = 0.85;

    /** Motion gets its own stream; this only has to differ from the physiology seed. */
    private static final long MOTION_SEED_SALT = 0x6D6F74696F6EL;

    private final ScenarioCourse course;
    private final double stepSeconds;
    private final Random physiology;
    private final MotionEpisodes motion;

    private final double heartRateBaseline;
    private final double spo2Baseline;
    private final double coreTemperatureBaseline;
    private final double perfusionBaseline;
    private final double signalQualityBaseline;
    private final double qtcBaseline;
    private final MeasurementSite site;

    // Slow deviations from the baselines, in each vital's natural unit (the rate's is relative, in units of the
    // rhythm's variability; the perfusion index's is logarithmic).
    private final MeanRevertingWalk rateWander;
    private final MeanRevertingWalk spo2Wander;
    private final MeanRevertingWalk coreTemperatureWander;
    private final MeanRevertingWalk perfusionWander;
    private final MeanRevertingWalk signalQualityWander;

    private long readingsTaken;

    VitalSignsModel(Scenario scenario, long seed, double stepSeconds) {
        if (!(stepSeconds > 0)) {
            throw new IllegalArgumentException("simulated step must be positive, was " + stepSeconds);
        }
        this.course = scenario.course();
        this.stepSeconds = stepSeconds;
        this.physiology = new Random(seed);
        this.motion = new MotionEpisodes(course.motion(), new Random(seed ^ MOTION_SEED_SALT));

        heartRateBaseline = uniform(62, 80);
        spo2Baseline = uniform(96.5, 98.5);
        coreTemperatureBaseline = uniform(36.9, 37.2);
        perfusionBaseline = uniform(2.5, 6.0);
        signalQualityBaseline = uniform(92, 98);
        qtcBaseline = uniform(385, 415);
        MeasurementSite[] sites = MeasurementSite.values();
        site = sites[physiology.nextInt(sites.length)];

        rateWander = new MeanRevertingWalk(1, 60, stepSeconds, physiology);
        spo2Wander = new MeanRevertingWalk(0.7, 30, stepSeconds, physiology);
        coreTemperatureWander = new MeanRevertingWalk(0.1, 600, stepSeconds, physiology);
        perfusionWander = new MeanRevertingWalk(0.15, 120, stepSeconds, physiology);
        signalQualityWander = new MeanRevertingWalk(2, 20, stepSeconds, physiology);
    }

    /**
     * The reading at the current simulated time; then simulated time moves on by one step.
     *
     * <p>Every reading draws the same number of random numbers whatever the scenario or rhythm (a draw that does
     * not apply is multiplied by zero), which keeps the streams of different scenarios in step.
     */
    VitalSigns next() {
        // Multiplying rather than summing steps keeps onsets exact for steps like 0.1 s.
        double t = readingsTaken * stepSeconds;
        double progress = course.ramp().progress(t);
        RhythmTraits rhythm = course.ramp().hasStarted(t) ? course.rhythmAfterOnset() : RhythmTraits.SINUS;
        double moving = motion.intensityAt(t);
        MotionProfile motionProfile = course.motion();

        double rate = towards(heartRateBaseline, course.heartRateTarget(), progress)
                * (1 + rhythm.rateVariability() * rateWander.value())
                * (1 + MOTION_RATE_RISE * moving)
                * (1 + rhythm.rateJitter() * boundedGaussian(2.5));
        int heartRate = (int) Math.round(clamp(rate, rhythm.lowestRate(), rhythm.highestRate()));

        // QT adapts to the rate over many beats, so it follows the mean RR, not this beat's. Fridericia rather
        // than Bazett: Bazett overcorrects at the rates SVT and AF reach. Above about 190 bpm even Fridericia
        // would have QT fill the whole cycle; real QT keeps shortening there, hence the cap.
        double meanRrMs = 60_000.0 / heartRate;
        double qtMs = Math.min(MAX_QT_SHARE_OF_RR * meanRrMs,
                (qtcBaseline + 4 * boundedGaussian(3)) * StrictMath.cbrt(meanRrMs / 1000));
        // This beat's RR scatters around the reported rate (log-normally: AF's short beats are limited, its long
        // pauses less so); the ventricle cannot beat again before it has repolarised.
        double rrMs = Math.max(qtMs + MIN_GAP_AFTER_T_WAVE_MS,
                meanRrMs * StrictMath.exp(rhythm.rrVariability() * boundedGaussian(2.5)));

        double spo2 = towards(spo2Baseline, course.spo2Target(), progress)
                + spo2Wander.value()
                + moving * motionProfile.spo2NoiseSd() * boundedGaussian(3);

        double temperature = towards(coreTemperatureBaseline, course.coreTemperatureTarget(), progress)
                + coreTemperatureWander.value()
                + site.offsetFromCore()
                + 0.02 * boundedGaussian(2.5);

        double perfusionIndex = perfusionBaseline
                * (1 + (course.perfusionFactor() - 1) * progress)
                * StrictMath.exp(perfusionWander.value())
                * (1 - motionProfile.perfusionDrop() * moving);

        double signalQuality = Math.min(100, signalQualityBaseline + signalQualityWander.value())
                - moving * motionProfile.qualityDrop()
                - progress * course.signalQualityLoss();
        int roundedQuality = (int) Math.round(clamp(signalQuality, 0, 100));

        VitalSigns reading = new VitalSigns(
                (int) Math.round(clamp(spo2, 50, 100)),
                oneDecimal(temperature),
                heartRate,
                oneDecimal(clamp(perfusionIndex, 0.1, 20)),
                moving > 0,
                roundedQuality,
                roundedQuality < RHYTHM_NEEDS_SIGNAL_QUALITY ? Rhythm.UNKNOWN : rhythm.rhythm(),
                (int) Math.round(rrMs),
                (int) Math.round(qtMs),
                site);

        rateWander.step(physiology);
        spo2Wander.step(physiology);
        coreTemperatureWander.step(physiology);
        perfusionWander.step(physiology);
        signalQualityWander.step(physiology);
        readingsTaken++;
        return reading;
    }

    private double uniform(double from, double to) {
        return from + (to - from) * physiology.nextDouble();
    }

    /** A standard normal draw cut at ±{@code limit}, so per-reading noise has a hard edge. */
    private double boundedGaussian(double limit) {
        return clamp(physiology.nextGaussian(), -limit, limit);
    }

    private static double towards(double baseline, DoubleUnaryOperator target, double progress) {
        return baseline + (target.applyAsDouble(baseline) - baseline) * progress;
    }

    private static double clamp(double x, double low, double high) {
        return Math.max(low, Math.min(high, x));
    }

    private static double oneDecimal(double x) {
        return Math.round(x * 10) / 10.0;
    }
}
