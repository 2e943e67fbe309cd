package com.tesaiot.publish.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScenarioTest {

    @Test
    void offersTheScenariosOfTheIssueUnderTheirCliNames() {
        assertEquals(List.of("normal", "fever", "tachycardia", "bradycardia", "desaturation", "afib", "svt",
                        "motion-artifact", "deteriorating"),
                Arrays.stream(Scenario.values()).map(Scenario::cliName).toList());
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void findsEachScenarioByItsCliNameInAnyCase(Scenario scenario) {
        assertSame(scenario, Scenario.fromCliName(scenario.cliName()));
        assertSame(scenario, Scenario.fromCliName(scenario.cliName().toUpperCase()));
    }

    @Test
    void rejectsAnUnknownScenarioNamingEveryValidOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scenario.fromCliName("motion_artifact"));

        assertTrue(e.getMessage().contains("motion_artifact"), e.getMessage());
        for (Scenario scenario : Scenario.values()) {
            assertTrue(e.getMessage().contains(scenario.cliName()), e.getMessage());
        }
    }

    @Test
    void rejectsAMissingScenarioName() {
        assertThrows(IllegalArgumentException.class, () -> Scenario.fromCliName(null));
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void describesEachScenarioOnOneLineWithItsNumbers(Scenario scenario) {
        String description = scenario.description();

        assertFalse(description.isBlank());
        assertFalse(description.contains("\n"), description);
        assertTrue(description.matches(".*\\d.*"), "no threshold or timing in: " + description);
    }
}
