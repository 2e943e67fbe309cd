package com.tesaiot.publish.app;

import com.tesaiot.publish.telemetry.Scenario;

import java.util.List;

/**
 * A {@code publish} run's settings, checked and resolved by the front end: the delivery settings every device
 * run shares, the patient scenario, whether to only print, and notes on what the front end set aside.
 */
public record RunPlan(DeliverySettings delivery, boolean dryRun, Scenario scenario, List<String> notes) {
}
