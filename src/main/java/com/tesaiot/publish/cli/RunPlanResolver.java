package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.OutputFormat;
import com.tesaiot.publish.app.RunPlan;
import com.tesaiot.publish.mqtt.Topics;
import com.tesaiot.publish.telemetry.Scenario;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks the publish command's options and resolves them into a {@link RunPlan}, or a usage error naming the flag. */
final class RunPlanResolver {
    private RunPlanResolver() {
    }

    private static final BigDecimal MAX_INTERVAL_SECONDS = BigDecimal.valueOf(86_400);
    private static final BigDecimal MAX_PERIOD_MINUTES = BigDecimal.valueOf(525_600);
    private static final BigDecimal SECONDS_PER_MINUTE = BigDecimal.valueOf(60);
    /** The original script's stand-in for an interval of 0 or less, in the --period formula only. */
    private static final BigDecimal PERIOD_FALLBACK_INTERVAL = BigDecimal.valueOf(5);

    static RunPlan resolve(PublishCommand c) {
        UsageErrors usage = new UsageErrors(c.spec);
        if (c.interval.signum() < 0 || c.interval.compareTo(MAX_INTERVAL_SECONDS) > 0) {
            throw usage.invalid("--interval", "within 0..86400 seconds", c.interval.toPlainString());
        }
        if (c.qos < 0 || c.qos > 2) {
            throw usage.invalid("--qos", "0, 1 or 2", c.qos);
        }
        if (c.maxInflight < 1 || c.maxInflight > 65535) {
            throw usage.invalid("--max-inflight", "within 1..65535", c.maxInflight);
        }
        if (c.deliveryTimeoutSeconds < 1) {
            throw usage.invalid("--delivery-timeout", "at least 1 second", c.deliveryTimeoutSeconds);
        }
        if (c.output != OutputFormat.TEXT && c.dryRun) {
            throw usage.error("--output " + c.output.name().toLowerCase() + " reports deliveries; a dry run has none");
        }
        if (c.stallFloorSeconds.compareTo(new BigDecimal("0.1")) < 0 || c.stallFloorSeconds.compareTo(MAX_INTERVAL_SECONDS) > 0) {
            throw usage.invalid("--stall-timeout", "within 0.1..86400 seconds", c.stallFloorSeconds.toPlainString());
        }
        c.broker.validate(usage);
        Optional<String> topic = c.broker.topic(nonBlank(c.topic), usage);
        topic.flatMap(Topics::problemWith).ifPresent(problem -> {
            throw usage.error(problem);
        });
        Scenario scenario;
        try {
            scenario = Scenario.fromCliName(c.scenario);
        } catch (IllegalArgumentException e) {
            throw usage.error(e.getMessage());
        }
        List<String> notes = new ArrayList<>();
        return new RunPlan(
                count(c, usage, notes),
                Duration.ofNanos(c.interval.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact()),
                c.dryRun,
                topic,
                c.qos,
                scenario,
                c.seed != null ? c.seed : new SecureRandom().nextLong(),
                c.maxInflight,
                Duration.ofSeconds(c.deliveryTimeoutSeconds),
                c.output,
                Optional.ofNullable(c.outbox),
                c.skipUnreadableOutboxLines,
                Duration.ofMillis(c.stallFloorSeconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact()),
                List.copyOf(notes));
    }

    /**
     * --count, --once and --period all set the number of messages. Two of them typed on the command line
     * contradict each other: an error. A typed flag beats a value from the environment, and with both COUNT and
     * PERIOD_MIN in the environment the period wins, as in the original script; either way a note says what was
     * set aside, so nothing the user gave is dropped silently.
     */
    private static long count(PublishCommand c, UsageErrors usage, List<String> notes) {
        if (c.period != null && c.period.signum() < 0) {
            throw usage.invalid("--period", "0 or more minutes", c.period.toPlainString());
        }
        if (c.period != null && c.period.compareTo(MAX_PERIOD_MINUTES) > 0) {
            throw usage.invalid("--period", "at most a year (525600 minutes)", c.period.toPlainString());
        }
        boolean countTyped = usage.onCommandLine("--count");
        boolean periodTyped = usage.onCommandLine("--period");
        Long count = c.count;
        BigDecimal period = c.period != null && c.period.signum() != 0 ? c.period : null;
        if (c.once && countTyped && count != 1) {
            throw usage.error("--once and --count " + count + " contradict each other: give one of them");
        }
        if (period != null && periodTyped && (countTyped || c.once)) {
            throw usage.error("--period " + period.toPlainString() + " and " + (c.once ? "--once" : "--count " + count)
                    + " both set the number of messages: give one of them");
        }
        if (count != null && !countTyped && (c.once || periodTyped || period != null)) {
            notes.add("COUNT=" + count + " from the environment is set aside: "
                    + (c.once ? "--once" : periodTyped ? "--period" : "PERIOD_MIN") + " sets the number of messages");
            count = null;
        }
        if (period != null && !periodTyped && (c.once || countTyped)) {
            notes.add("PERIOD_MIN=" + period.toPlainString() + " from the environment is set aside: "
                    + (c.once ? "--once" : "--count") + " sets the number of messages");
            period = null;
        }
        if (c.once) {
            return 1;
        }
        if (period != null) {
            return countForPeriod(period, c.interval);
        }
        if (count == null) {
            return 1;
        }
        if (count < 1) {
            throw usage.invalid("--count", "1 or more", count);
        }
        return count;
    }

    /**
     * The original script's count for a period: max(1, floor(period x 60 / interval)), an interval of 0 or less
     * counting as 5 s. A fleet's devices count the same way.
     */
    static long countForPeriod(BigDecimal minutes, BigDecimal intervalSeconds) {
        BigDecimal interval = intervalSeconds.signum() > 0 ? intervalSeconds : PERIOD_FALLBACK_INTERVAL;
        return Math.max(1, minutes.multiply(SECONDS_PER_MINUTE).divide(interval, 0, RoundingMode.FLOOR).longValueExact());
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
