package com.tesaiot.publish.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tesaiot.publish.telemetry.Readings.Reading;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class IntervalTest {

    private static double meanStillStep(List<Reading> run, ToDoubleFunction<Reading> field) {
        double sum = 0;
        int steps = 0;
        for (int i = 1; i < run.size(); i++) {
            if (!run.get(i).motion() && !run.get(i - 1).motion()) {
                sum += Math.abs(field.applyAsDouble(run.get(i)) - field.applyAsDouble(run.get(i - 1)));
                steps++;
            }
        }
        return sum / steps;
    }

    @Test
    void longerIntervalsDriftFurtherBetweenReadings() {
        List<Reading> everySecond = Readings.run(Scenario.NORMAL, 5, Duration.ofSeconds(1), 20_000);
        List<Reading> everyFiveSeconds = Readings.run(Scenario.NORMAL, 5, Duration.ofSeconds(5), 20_000);
        List<Reading> everyMinute = Readings.run(Scenario.NORMAL, 5, Duration.ofSeconds(60), 20_000);

        double heartRate1 = meanStillStep(everySecond, Reading::heartRate);
        double heartRate5 = meanStillStep(everyFiveSeconds, Reading::heartRate);
        double heartRate60 = meanStillStep(everyMinute, Reading::heartRate);
        assertTrue(heartRate1 < heartRate5 && heartRate5 < heartRate60,
                "mean heart-rate step at 1 s, 5 s, 60 s: " + heartRate1 + ", " + heartRate5 + ", " + heartRate60);
        assertTrue(heartRate60 > 2 * heartRate1, heartRate1 + " vs " + heartRate60);

        double temperature1 = meanStillStep(everySecond, Reading::temperature);
        double temperature60 = meanStillStep(everyMinute, Reading::temperature);
        assertTrue(temperature60 > 1.5 * temperature1, temperature1 + " vs " + temperature60);
    }

    @Test
    void anIntervalOfZeroStandsForOneSimulatedSecond() {
        List<Reading> zero = Readings.run(Scenario.TACHYCARDIA, 8, Duration.ZERO, 2_000);
        List<Reading> oneSecond = Readings.run(Scenario.TACHYCARDIA, 8, Duration.ofSeconds(1), 2_000);
        List<Reading> fiveSeconds = Readings.run(Scenario.TACHYCARDIA, 8, Duration.ofSeconds(5), 2_000);

        assertEquals(oneSecond, zero);
        assertNotEquals(fiveSeconds, zero);
    }

    @Test
    void refusesANegativeInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TelemetryStream("d", Scenario.NORMAL, 1, Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }
}
