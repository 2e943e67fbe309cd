package com.tesaiot.publish.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tesaiot.publish.telemetry.Readings.Reading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Each scenario reaches what it promises when {@code --list-scenarios} says it will, and {@code normal} never does. */
class ScenarioThresholdTest {

    /** What a scenario promises, and by when (simulated minutes since the first reading), as its description says. */
    record Promise(Scenario scenario, String what, Predicate<Reading> reached, int withinMinutes) {
        @Override
        public String toString() {
            return scenario.cliName() + ": " + what + " within " + withinMinutes + " min";
        }
    }

    static final List<Promise> PROMISES = List.of(
            new Promise(Scenario.FEVER, "temperature above 38 °C", r -> r.temperature() > 38.0, 10),
            new Promise(Scenario.TACHYCARDIA, "heart rate above 100 bpm", r -> r.heartRate() > 100, 5),
            new Promise(Scenario.BRADYCARDIA, "heart rate below 50 bpm", r -> r.heartRate() < 50, 6),
            new Promise(Scenario.DESATURATION, "SpO2 below 90 %", r -> r.spo2() < 90, 6),
            new Promise(Scenario.AFIB, "rhythm afib", r -> r.rhythm().equals("afib"), 3),
            new Promise(Scenario.SVT, "rhythm svt at 150 bpm or more",
                    r -> r.rhythm().equals("svt") && r.heartRate() >= 150, 3),
            new Promise(Scenario.MOTION_ARTIFACT, "motion with signal quality below 50 and rhythm unknown",
                    r -> r.motion() && r.signalQuality() < 50 && r.rhythm().equals("unknown"), 2),
            new Promise(Scenario.DETERIORATING, "above 38 °C, above 100 bpm and below 90 % at once",
                    r -> r.temperature() > 38.0 && r.heartRate() > 100 && r.spo2() < 90, 10));

    private static final long[] SEEDS = LongStream.rangeClosed(1, 10).toArray();

    static Stream<Arguments> promisesAndSeeds() {
        List<Arguments> cases = new ArrayList<>();
        for (Promise promise : PROMISES) {
            for (long seed : SEEDS) {
                cases.add(Arguments.of(promise, seed));
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> promisesAndIntervals() {
        List<Arguments> cases = new ArrayList<>();
        for (Promise promise : PROMISES) {
            for (Duration interval : List.of(Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(1),
                    Duration.ofSeconds(60))) {
                cases.add(Arguments.of(promise, interval));
            }
        }
        return cases.stream();
    }

    private static int readingsWithin(int minutes, Duration interval) {
        double step = TelemetryStream.simulatedStepSeconds(interval);
        return (int) Math.ceil(minutes * 60 / step);
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("promisesAndSeeds")
    void crossesItsThresholdWithinTenMinutesAtFiveSecondIntervals(Promise promise, long seed) {
        List<Reading> run = Readings.tenMinutes(promise.scenario(), seed);
        int deadline = readingsWithin(promise.withinMinutes(), Readings.FIVE_SECONDS);

        int first = Readings.firstIndexWhere(run, promise.reached());

        assertTrue(first >= 0 && first < deadline,
                promise + ": first reached at reading " + first + ", deadline reading " + deadline);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void normalCrossesNoScenarioThresholdInTenMinutes(long seed) {
        List<Reading> run = Readings.tenMinutes(Scenario.NORMAL, seed);

        for (Promise promise : PROMISES) {
            assertEquals(-1, Readings.firstIndexWhere(run, promise.reached()), "normal reached " + promise.what());
        }
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 50);
    }

    @ParameterizedTest(name = "{0}, interval {1}")
    @MethodSource("promisesAndIntervals")
    void reachesItsThresholdAtTheSameSimulatedTimeWhateverTheInterval(Promise promise, Duration interval) {
        int deadline = readingsWithin(promise.withinMinutes(), interval);
        List<Reading> run = Readings.run(promise.scenario(), 3, interval, deadline);

        assertTrue(Readings.firstIndexWhere(run, promise.reached()) >= 0,
                promise + " not reached in " + deadline + " readings at interval " + interval);
    }

    @ParameterizedTest
    @EnumSource(value = Scenario.class, names = {"NORMAL", "MOTION_ARTIFACT"}, mode = EnumSource.Mode.EXCLUDE)
    void untilItsOnsetAScenarioShowsTheSamePatientAsNormal(Scenario scenario) {
        int beforeOnset = (int) Math.ceil(scenario.course().ramp().onsetSeconds() / 5);
        List<Reading> normal = Readings.run(Scenario.NORMAL, 11, Readings.FIVE_SECONDS, beforeOnset + 1);
        List<Reading> patient = Readings.run(scenario, 11, Readings.FIVE_SECONDS, beforeOnset + 1);

        assertEquals(normal.subList(0, beforeOnset), patient.subList(0, beforeOnset));
        assertTrue(beforeOnset >= 12, "onset before minute 1");
    }
}
