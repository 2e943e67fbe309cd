package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.OutputFormat;
import com.tesaiot.publish.app.RunPlan;
import com.tesaiot.publish.telemetry.Scenario;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunPlanResolverTest {

    private static RunPlan resolve(Map<String, String> environment, String... args) {
        PublishCommand command = new PublishCommand();
        Main.grammar(new picocli.CommandLine(command), new EnvironmentDefaults(environment)).parseArgs(args);
        return RunPlanResolver.resolve(command);
    }

    @Test
    void theDefaultsAreOneReadingEveryFiveSecondsAtQos1OnTheDevicesTopic() {
        RunPlan plan = resolve(Map.of());

        assertEquals(1, plan.delivery().count());
        assertEquals(Duration.ofSeconds(5), plan.delivery().interval());
        assertEquals(1, plan.delivery().qos());
        assertEquals(Scenario.NORMAL, plan.scenario());
        assertEquals(OutputFormat.TEXT, plan.delivery().output());
        assertEquals(Optional.empty(), plan.delivery().outbox());
        assertEquals("device/dev-7/telemetry", plan.delivery().topicFor("dev-7"));
        assertEquals(List.of(), plan.notes());
    }

    @Test
    void everyOptionReachesThePlan() {
        RunPlan plan = resolve(Map.of(), "--count", "12", "--interval", "0.25", "--qos", "0", "--scenario", "fever",
                "--seed", "42", "--max-inflight", "7", "--delivery-timeout", "9", "--output", "jsonl",
                "--outbox", "box", "--topic", " lab/x ");

        assertEquals(12, plan.delivery().count());
        assertEquals(Duration.ofMillis(250), plan.delivery().interval());
        assertEquals(0, plan.delivery().qos());
        assertEquals(Scenario.FEVER, plan.scenario());
        assertEquals(42, plan.delivery().seed());
        assertEquals(7, plan.delivery().maxInflight());
        assertEquals(Duration.ofSeconds(9), plan.delivery().deliveryTimeout());
        assertEquals(OutputFormat.JSONL, plan.delivery().output());
        assertEquals(Optional.of(Path.of("box")), plan.delivery().outbox());
        assertEquals("lab/x", plan.delivery().topicFor("dev-7"), "a given topic, trimmed, beats the device's");
    }

    @Test
    void aPeriodSetsTheCountAndACountFromTheEnvironmentIsSetAsideWithANote() {
        RunPlan plan = resolve(Map.of("COUNT", "5"), "--period", "1", "--interval", "5");

        assertEquals(12, plan.delivery().count());
        assertEquals(1, plan.notes().size());
        assertTrue(plan.notes().get(0).startsWith("COUNT=5 from the environment is set aside"), plan.notes().get(0));
    }

    @Test
    void twoTypedWaysOfCountingContradictEachOther() {
        ParameterException e = assertThrows(ParameterException.class, () -> resolve(Map.of(), "--once", "--count", "3"));

        assertEquals("--once and --count 3 contradict each other: give one of them", e.getMessage());
    }

    @Test
    void aBadValueFromTheEnvironmentIsNamedByItsVariable() {
        ParameterException e = assertThrows(ParameterException.class, () -> resolve(Map.of("QOS", "3")));

        assertEquals("QOS (environment) must be 0, 1 or 2, not 3", e.getMessage());
    }

    @Test
    void aRandomSeedIsDrawnWhenNoneIsGiven() {
        long first = resolve(Map.of()).delivery().seed();
        long second = resolve(Map.of()).delivery().seed();
        long third = resolve(Map.of()).delivery().seed();

        assertTrue(first != second || second != third, "three runs drew the same seed");
    }

    @Test
    void aTopicTemplateNamesEachDeviceInPublishAsInAFleet() {
        RunPlan plan = resolve(Map.of(), "--topic", "site-a/{device_id}/telemetry");

        assertEquals("site-a/dev-7/telemetry", plan.delivery().topicFor("dev-7"));
    }

    @Test
    void anEmptyOutboxIsRefusedRatherThanRunningWithoutAJournal() {
        ParameterException e = assertThrows(ParameterException.class, () -> resolve(Map.of(), "--outbox", ""));

        assertTrue(e.getMessage().startsWith("--outbox is empty"), e.getMessage());
    }

    @Test
    void theShortNamesOfEveryMqttCliSetTopicAndQos() {
        RunPlan plan = resolve(Map.of(), "-t", "lab/x", "-q", "2");

        assertEquals("lab/x", plan.delivery().topicFor("dev-7"));
        assertEquals(2, plan.delivery().qos());
    }
}
