package com.tesaiot.publish.cli;

import com.tesaiot.publish.telemetry.Scenario;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A run's settings, checked and resolved from the command line; nothing here touches the network. */
record RunPlan(
        long count,
        Duration interval,
        boolean dryRun,
        Optional<String> topic,
        int qos,
        Scenario scenario,
        long seed,
        int maxInflight,
        Duration deliveryTimeout,
        OutputFormat output,
        Optional<Path> outbox) {

    private static final BigDecimal MAX_INTERVAL_SECONDS = BigDecimal.valueOf(86_400);
    private static final BigDecimal SECONDS_PER_MINUTE = BigDecimal.valueOf(60);
    /** The original script's stand-in for an interval of 0 or less, in the --period formula only. */
    private static final BigDecimal PERIOD_FALLBACK_INTERVAL = BigDecimal.valueOf(5);

    static RunPlan from(PublishCommand c) {
        if (c.interval.signum() < 0 || c.interval.compareTo(MAX_INTERVAL_SECONDS) > 0) {
            throw c.usage("--interval must be within 0..86400 seconds, not " + c.interval.toPlainString());
        }
        if (c.qos < 0 || c.qos > 2) {
            throw c.usage("--qos must be 0, 1 or 2, not " + c.qos);
        }
        if (c.broker.brokerPort != null && (c.broker.brokerPort < 1 || c.broker.brokerPort > 65535)) {
            throw c.usage("--broker-port must be within 1..65535, not " + c.broker.brokerPort);
        }
        if (c.maxInflight < 1 || c.maxInflight > 65535) {
            throw c.usage("--max-inflight must be within 1..65535, not " + c.maxInflight);
        }
        if (c.deliveryTimeoutSeconds < 1) {
            throw c.usage("--delivery-timeout must be at least 1 second, not " + c.deliveryTimeoutSeconds);
        }
        if (c.output != OutputFormat.TEXT && c.dryRun) {
            throw c.usage("--output " + c.output.name().toLowerCase() + " reports deliveries; a dry run has none");
        }
        if (c.broker.connectTimeoutSeconds < 1) {
            throw c.usage("--connect-timeout must be at least 1 second, not " + c.broker.connectTimeoutSeconds);
        }
        if (c.topic != null && (c.topic.contains("+") || c.topic.contains("#"))) {
            throw c.usage("--topic '" + c.topic + "' holds a wildcard (+ or #): a message is published to one topic");
        }
        Scenario scenario;
        try {
            scenario = Scenario.fromCliName(c.scenario);
        } catch (IllegalArgumentException e) {
            throw c.usage(e.getMessage());
        }
        return new RunPlan(
                count(c),
                Duration.ofNanos(c.interval.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact()),
                c.dryRun,
                nonBlank(c.topic),
                c.qos,
                scenario,
                c.seed != null ? c.seed : new SecureRandom().nextLong(),
                c.maxInflight,
                Duration.ofSeconds(c.deliveryTimeoutSeconds),
                c.output,
                Optional.ofNullable(c.outbox));
    }

    /** --count, --once and --period all set the number of messages; more than one of them is a contradiction. */
    private static long count(PublishCommand c) {
        if (c.once && c.count != null && c.count != 1) {
            throw c.usage("--once and --count " + c.count + " contradict each other: give one of them");
        }
        boolean periodSet = c.period != null && c.period.signum() != 0;
        if (c.period != null && c.period.signum() < 0) {
            throw c.usage("--period must be 0 or more minutes, not " + c.period.toPlainString());
        }
        if (periodSet && (c.count != null || c.once)) {
            throw c.usage("--period " + c.period.toPlainString() + " and " + (c.once ? "--once" : "--count " + c.count)
                    + " both set the number of messages: give one of them");
        }
        if (periodSet) {
            BigDecimal interval = c.interval.signum() > 0 ? c.interval : PERIOD_FALLBACK_INTERVAL;
            long n = c.period.multiply(SECONDS_PER_MINUTE).divide(interval, 0, RoundingMode.FLOOR).longValue();
            return Math.max(1, n);
        }
        if (c.count == null) {
            return 1;
        }
        if (c.count < 1) {
            throw c.usage("--count must be 1 or more, not " + c.count);
        }
        return c.count;
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    String topicFor(String deviceId) {
        return topic.orElse("device/" + deviceId + "/telemetry");
    }
}
