package com.tesaiot.publish.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.tesaiot.publish.telemetry.Readings.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties that hold in every payload of long runs at the default 5 s interval: three seeds of 100 000 readings
 * (almost six simulated days each) for {@code normal}, and 50 000 plus two seeds of 10 000 for every other scenario,
 * which is what fits in a few seconds. Each run is generated once and shared by the properties.
 */
class VitalSignsPropertiesTest {

    private static final Map<String, List<Reading>> RUNS = new ConcurrentHashMap<>();

    static Stream<Arguments> longRuns() {
        List<Arguments> runs = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            boolean normal = scenario == Scenario.NORMAL;
            runs.add(Arguments.of(scenario, 7L, normal ? 100_000 : 50_000));
            runs.add(Arguments.of(scenario, 42L, normal ? 100_000 : 10_000));
            runs.add(Arguments.of(scenario, 20_261_124L, normal ? 100_000 : 10_000));
        }
        return runs.stream();
    }

    static Stream<Arguments> normalRuns() {
        return longRuns().filter(run -> run.get()[0] == Scenario.NORMAL);
    }

    private static List<Reading> readings(Scenario scenario, long seed, int count) {
        return RUNS.computeIfAbsent(scenario + "/" + seed + "/" + count,
                key -> Readings.run(scenario, seed, Readings.FIVE_SECONDS, count));
    }

    private static void check(boolean holds, Reading reading, String what) {
        if (!holds) {
            fail(what + " at reading " + reading.index() + ": " + reading);
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("longRuns")
    void heartRateBpmAlwaysEqualsHeartRate(Scenario scenario, long seed, int count) {
        for (Reading r : readings(scenario, seed, count)) {
            check(r.heartRateBpm() == r.heartRate(), r, "heart_rate_bpm differs from heart_rate");
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("longRuns")
    void everyValueIsPhysicallyPossible(Scenario scenario, long seed, int count) {
        for (Reading r : readings(scenario, seed, count)) {
            check(r.spo2() >= 50 && r.spo2() <= 100, r, "SpO2 outside 50-100 %");
            check(r.temperature() >= 34 && r.temperature() <= 42, r, "temperature outside 34-42 °C");
            check(r.heartRate() >= 30 && r.heartRate() <= 220, r, "heart rate outside 30-220 bpm");
            check(r.perfusionIndex() >= 0.1 && r.perfusionIndex() <= 20, r, "perfusion index outside 0.1-20 %");
            check(r.signalQuality() >= 0 && r.signalQuality() <= 100, r, "signal quality outside 0-100");
            check(r.rrIntervalMs() >= 250 && r.rrIntervalMs() <= 2000, r, "RR interval outside 250-2000 ms");
            check(r.qtIntervalMs() >= 200 && r.qtIntervalMs() <= 600, r, "QT interval outside 200-600 ms");
            check(r.qtIntervalMs() < r.rrIntervalMs(), r, "QT longer than the RR interval");
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("longRuns")
    void rrIntervalFollowsTheHeartRateWithTheRhythmsVariability(Scenario scenario, long seed, int count) {
        List<Double> afibDeviations = new ArrayList<>();
        for (Reading r : readings(scenario, seed, count)) {
            double deviation = r.rrIntervalMs() / r.expectedRrMs() - 1;
            switch (r.rhythm()) {
                case "sinus" -> check(Math.abs(deviation) <= 0.07, r, "sinus RR more than 7 % off 60000/HR");
                case "svt" -> check(Math.abs(deviation) <= 0.02, r, "SVT RR more than 2 % off 60000/HR");
                case "afib" -> {
                    check(Math.abs(deviation) <= 0.5, r, "AF RR more than 50 % off 60000/HR");
                    afibDeviations.add(deviation);
                }
                default -> check(Math.abs(deviation) <= 0.5, r, "RR more than 50 % off 60000/HR");
            }
        }
        if (scenario == Scenario.AFIB) {
            double spread = Math.sqrt(afibDeviations.stream().mapToDouble(d -> d * d).average().orElseThrow());
            assertTrue(spread > 0.1, "AF RR intervals are too regular: spread " + spread);
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("longRuns")
    void qtCorrectedByFridericiaStaysNear400Ms(Scenario scenario, long seed, int count) {
        for (Reading r : readings(scenario, seed, count)) {
            // Above 180 bpm QT keeps shortening beyond what the formula predicts.
            if (r.heartRate() <= 180) {
                check(r.qtcFridericia() >= 360 && r.qtcFridericia() <= 440, r, "QTc outside 360-440 ms");
            } else {
                check(r.qtcFridericia() <= 440, r, "QTc above 440 ms");
            }
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("longRuns")
    void siteStaysFixedForTheDevice(Scenario scenario, long seed, int count) {
        List<Reading> run = readings(scenario, seed, count);
        String site = run.get(0).site();
        assertTrue(Set.of("temporal", "oral", "core").contains(site), site);
        for (Reading r : run) {
            check(r.site().equals(site), r, "site changed from " + site);
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("longRuns")
    void rhythmIsUnknownExactlyWhenTheSignalIsTooPoorToClassify(Scenario scenario, long seed, int count) {
        for (Reading r : readings(scenario, seed, count)) {
            check(r.rhythm().equals("unknown") == (r.signalQuality() < 50), r,
                    "rhythm unknown does not match signal quality below 50");
            check(r.signalQuality() >= 50 || r.motion(), r, "poor signal without motion");
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("longRuns")
    void rhythmFollowsThePatientAndOnlyItsScenarioLeavesSinus(Scenario scenario, long seed, int count) {
        Set<String> allowed = switch (scenario) {
            case AFIB -> Set.of("sinus", "afib");
            case SVT -> Set.of("sinus", "svt");
            case MOTION_ARTIFACT -> Set.of("sinus", "unknown");
            default -> Set.of("sinus");
        };
        boolean arrhythmiaStarted = false;
        for (Reading r : readings(scenario, seed, count)) {
            check(allowed.contains(r.rhythm()), r, scenario.cliName() + " should only show " + allowed);
            arrhythmiaStarted |= r.rhythm().equals("afib") || r.rhythm().equals("svt");
            check(!arrhythmiaStarted || !r.rhythm().equals("sinus"), r, "sustained arrhythmia went back to sinus");
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("longRuns")
    void arrhythmiasStayInTheirRateBands(Scenario scenario, long seed, int count) {
        for (Reading r : readings(scenario, seed, count)) {
            if (r.rhythm().equals("afib")) {
                check(r.heartRate() >= 110 && r.heartRate() <= 150, r, "AF rate outside 110-150 bpm");
            } else if (r.rhythm().equals("svt")) {
                check(r.heartRate() >= 150 && r.heartRate() <= 220, r, "SVT rate outside 150-220 bpm");
            }
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("longRuns")
    void motionComesInEpisodesThatSpoilTheOpticalSignals(Scenario scenario, long seed, int count) {
        List<Reading> run = readings(scenario, seed, count);
        int moving = 0;
        int episodes = 0;
        boolean wasMoving = false;
        for (Reading r : run) {
            if (r.motion()) {
                moving++;
                episodes += wasMoving ? 0 : 1;
            }
            wasMoving = r.motion();
        }
        assertTrue(episodes > 10, "too few motion episodes: " + episodes);
        assertTrue(moving / (double) episodes >= 4, "episodes too short to be episodes: "
                + moving / (double) episodes + " readings each");

        assertTrue(average(run, true, Reading::signalQuality) < average(run, false, Reading::signalQuality) - 10,
                "signal quality does not drop while moving");
        assertTrue(average(run, true, Reading::perfusionIndex) < average(run, false, Reading::perfusionIndex) * 0.9,
                "perfusion index does not drop while moving");
        assertTrue(averageSpo2Step(run, true) > 1.5 * averageSpo2Step(run, false),
                "SpO2 is not noisier while moving");
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("longRuns")
    void stepsBetweenStillReadingsStayWithinPhysiologicalBounds(Scenario scenario, long seed, int count) {
        List<Reading> run = readings(scenario, seed, count);
        for (int i = 1; i < run.size(); i++) {
            Reading before = run.get(i - 1);
            Reading r = run.get(i);
            // Motion artifacts and a sudden change of rhythm are allowed to jump; physiology in 5 s is not.
            if (before.motion() || r.motion() || !before.rhythm().equals(r.rhythm())) {
                continue;
            }
            int maxRateStep = r.rhythm().equals("afib") ? 30 : 20;
            check(Math.abs(r.heartRate() - before.heartRate()) <= maxRateStep, r,
                    "heart rate moved more than " + maxRateStep + " bpm in 5 s from " + before.heartRate());
            check(Math.abs(r.spo2() - before.spo2()) <= 4, r, "SpO2 moved more than 4 % in 5 s from " + before.spo2());
            check(Math.abs(r.temperature() - before.temperature()) <= 0.3 + 1e-9, r,
                    "temperature moved more than 0.3 °C in 5 s from " + before.temperature());
            double perfusionRatio = r.perfusionIndex() / before.perfusionIndex();
            check(perfusionRatio >= 2 / 3.0 && perfusionRatio <= 1.5, r,
                    "perfusion index changed by more than half in 5 s from " + before.perfusionIndex());
            check(Math.abs(r.signalQuality() - before.signalQuality()) <= 15, r,
                    "signal quality moved more than 15 in 5 s from " + before.signalQuality());
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("normalRuns")
    void vitalsCarryOverFromOneReadingToTheNext(Scenario scenario, long seed, int count) {
        List<Reading> run = readings(scenario, seed, count);
        assertTrue(lagOneCorrelation(run, Reading::heartRate) > 0.8, "heart rate does not carry over");
        assertTrue(lagOneCorrelation(run, Reading::temperature) > 0.8, "temperature does not carry over");
        assertTrue(lagOneCorrelation(run, Reading::perfusionIndex) > 0.8, "perfusion index does not carry over");
        assertTrue(lagOneCorrelation(run, Reading::spo2) > 0.5, "SpO2 does not carry over");
    }

    @ParameterizedTest(name = "{0}, seed {1}, {2} readings")
    @MethodSource("normalRuns")
    void aHealthyPatientStaysWithinNormalLimits(Scenario scenario, long seed, int count) {
        for (Reading r : readings(scenario, seed, count)) {
            check(r.heartRate() >= 50 && r.heartRate() <= 100, r, "normal heart rate outside 50-100 bpm");
            check(r.spo2() >= 90, r, "normal SpO2 below 90 %");
            check(r.temperature() < 38.0, r, "normal temperature at or above 38 °C");
            check(r.rhythm().equals("sinus"), r, "normal rhythm is not sinus");
        }
        assertEquals(count, readings(scenario, seed, count).size());
    }

    private static double average(List<Reading> run, boolean moving, ToDoubleFunction<Reading> field) {
        return run.stream().filter(r -> r.motion() == moving).mapToDouble(field).average().orElseThrow();
    }

    private static double averageSpo2Step(List<Reading> run, boolean moving) {
        double sum = 0;
        int steps = 0;
        for (int i = 1; i < run.size(); i++) {
            if (run.get(i - 1).motion() == moving && run.get(i).motion() == moving) {
                sum += Math.abs(run.get(i).spo2() - run.get(i - 1).spo2());
                steps++;
            }
        }
        return sum / steps;
    }

    private static double lagOneCorrelation(List<Reading> run, ToDoubleFunction<Reading> field) {
        double[] x = run.stream().mapToDouble(field).toArray();
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < x.length; i++) {
            variance += (x[i] - mean) * (x[i] - mean);
            if (i > 0) {
                covariance += (x[i] - mean) * (x[i - 1] - mean);
            }
        }
        return covariance / variance;
    }
}
