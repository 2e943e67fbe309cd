package com.tesaiot.publish.cli;

import com.tesaiot.publish.telemetry.Scenario;

import java.util.Arrays;
import java.util.Iterator;

/** The scenario names {@code --scenario} accepts ({@link Scenario#fromCliName}), for shell completion. */
final class ScenarioNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(Scenario.values()).map(Scenario::cliName).iterator();
    }
}
