package com.tesaiot.publish.app;

import com.tesaiot.publish.telemetry.Scenario;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioMixTest {

    @Test
    void aDevicesScenarioFollowsFromItsIdAndTheSharesHoldAcrossAFleet() {
        ScenarioMix mix = ScenarioMix.parse("normal=90, fever=5, afib=5");
        Map<Scenario, Integer> counts = new EnumMap<>(Scenario.class);
        for (int i = 0; i < 10_000; i++) {
            String id = "device-" + i;
            assertEquals(mix.scenarioOf(id), ScenarioMix.parse("normal=90,fever=5,afib=5").scenarioOf(id));
            counts.merge(mix.scenarioOf(id), 1, Integer::sum);
        }
        assertEquals(3, counts.size(), counts.toString());
        assertTrue(Math.abs(counts.get(Scenario.NORMAL) - 9_000) < 300, counts.toString());
        assertTrue(Math.abs(counts.get(Scenario.FEVER) - 500) < 150, counts.toString());
        assertTrue(Math.abs(counts.get(Scenario.AFIB) - 500) < 150, counts.toString());
    }

    @Test
    void aScenarioWeightedZeroIsNeverPlayed() {
        ScenarioMix mix = ScenarioMix.parse("normal=0,svt=1");
        for (int i = 0; i < 100; i++) {
            assertEquals(Scenario.SVT, mix.scenarioOf("d" + i));
        }
    }

    @Test
    void eachDeviceHasItsOwnSeedAndTheSameOneInEveryProcess() {
        assertEquals(ScenarioMix.seedOf(7, "device-00001"), ScenarioMix.seedOf(7, "device-00001"));
        assertNotEquals(ScenarioMix.seedOf(7, "device-00001"), ScenarioMix.seedOf(7, "device-00002"));
        assertNotEquals(ScenarioMix.seedOf(7, "device-00001"), ScenarioMix.seedOf(8, "device-00001"));
    }

    @Test
    void refusesAMixThatDoesNotParseOrAddsUpToZero() {
        assertTrue(message("normal=0,fever=0").contains("add up to 0"));
        assertTrue(message("normal").contains("is not name=weight"));
        assertTrue(message("normal=ninety").contains("whole number"));
        assertTrue(message("normal=-1").contains("within 0..1000000"));
        assertTrue(message("sick=5").contains("unknown scenario 'sick'"));
        assertTrue(message("normal=5,normal=5").contains("given twice"));
        assertTrue(message("").contains("is not name=weight"));
    }

    private static String message(String mix) {
        return assertThrows(IllegalArgumentException.class, () -> ScenarioMix.parse(mix)).getMessage();
    }
}
