package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.RunPlan;
import com.tesaiot.publish.telemetry.Scenario;

import java.util.ArrayList;
import java.util.List;

/** Checks the publish command's options and resolves them into a {@link RunPlan}, or a usage error naming the flag. */
final class RunPlanResolver {
    private RunPlanResolver() {
    }

    static RunPlan resolve(PublishCommand c) {
        UsageErrors usage = new UsageErrors(c.spec);
        c.broker.validate(usage);
        Scenario scenario;
        try {
            scenario = Scenario.fromCliName(c.scenario);
        } catch (IllegalArgumentException e) {
            throw usage.error(e.getMessage());
        }
        List<String> notes = new ArrayList<>();
        return new RunPlan(DeliveryResolver.resolve(c.delivery, c.broker, usage, notes), c.dryRun, scenario, List.copyOf(notes));
    }
}
