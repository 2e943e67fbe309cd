package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.DeliverySettings;
import com.tesaiot.publish.mqtt.Topics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@link DeliveryOptions} and resolves them into {@link DeliverySettings}, or a usage error naming the flag
 * or variable: the one set of rules for {@code publish} and {@code fleet}.
 */
final class DeliveryResolver {
    private DeliveryResolver() {
    }

    private static final BigDecimal MAX_INTERVAL_SECONDS = BigDecimal.valueOf(86_400);
    private static final BigDecimal MIN_STALL_SECONDS = new BigDecimal("0.1");
    private static final BigDecimal MAX_PERIOD_MINUTES = BigDecimal.valueOf(525_600);
    private static final BigDecimal SECONDS_PER_MINUTE = BigDecimal.valueOf(60);
    /** The original script's stand-in for an interval of 0 or less, in the --period formula only. */
    private static final BigDecimal PERIOD_FALLBACK_INTERVAL = BigDecimal.valueOf(5);

    /**
     * @param notes where a value from the environment that was set aside is told, so nothing given is dropped
     *              silently
     * @param broker for the topic part of -L/--url
     */
    static DeliverySettings resolve(DeliveryOptions o, BrokerOptions broker, UsageErrors usage, List<String> notes) {
        if (o.interval.signum() < 0 || o.interval.compareTo(MAX_INTERVAL_SECONDS) > 0) {
            throw usage.invalid("--interval", "within 0..86400 seconds", o.interval.toPlainString());
        }
        if (o.qos < 0 || o.qos > 2) {
            throw usage.invalid("--qos", "0, 1 or 2", o.qos);
        }
        if (o.maxInflight < 1 || o.maxInflight > 65535) {
            throw usage.invalid("--max-inflight", "within 1..65535", o.maxInflight);
        }
        if (o.deliveryTimeoutSeconds < 1) {
            throw usage.invalid("--delivery-timeout", "at least 1 second", o.deliveryTimeoutSeconds);
        }
        if (o.stallFloorSeconds.compareTo(MIN_STALL_SECONDS) < 0 || o.stallFloorSeconds.compareTo(MAX_INTERVAL_SECONDS) > 0) {
            throw usage.invalid("--stall-timeout", "within 0.1..86400 seconds", o.stallFloorSeconds.toPlainString());
        }
        if (o.outbox != null && o.outbox.toString().isBlank()) {
            throw usage.error("--outbox is empty (an unset variable in a script?): give a directory, or leave --outbox out");
        }
        // -L's topic, or --topic: both given is a usage error (BrokerOptions.topic).
        Optional<String> topic = broker.topic(o.topic == null || o.topic.isBlank() ? Optional.empty() : Optional.of(o.topic.strip()), usage);
        topic.flatMap(t -> Topics.problemWith(t.replace(DeliverySettings.DEVICE_ID_PLACEHOLDER, "device")))
                .ifPresent(problem -> {
                    throw usage.error(problem);
                });
        return new DeliverySettings(
                count(o, usage, notes),
                Duration.ofNanos(o.interval.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact()),
                topic,
                o.qos,
                o.seed != null ? o.seed : new SecureRandom().nextLong(),
                o.maxInflight,
                Duration.ofSeconds(o.deliveryTimeoutSeconds),
                Duration.ofMillis(o.stallFloorSeconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact()),
                Optional.ofNullable(o.outbox).map(Path::normalize),
                o.skipUnreadableOutboxLines,
                o.output);
    }

    /**
     * --count, --once and --period all set the number of messages. Two of them typed on the command line
     * contradict each other: an error. A typed flag beats a value from the environment, and with both COUNT and
     * PERIOD_MIN in the environment the period wins, as in the original script; either way a note says what was
     * set aside.
     */
    private static long count(DeliveryOptions o, UsageErrors usage, List<String> notes) {
        if (o.period != null && o.period.signum() < 0) {
            throw usage.invalid("--period", "0 or more minutes", o.period.toPlainString());
        }
        if (o.period != null && o.period.compareTo(MAX_PERIOD_MINUTES) > 0) {
            throw usage.invalid("--period", "at most a year (525600 minutes)", o.period.toPlainString());
        }
        boolean countTyped = usage.onCommandLine("--count");
        boolean periodTyped = usage.onCommandLine("--period");
        Long count = o.count;
        BigDecimal period = o.period != null && o.period.signum() != 0 ? o.period : null;
        if (o.once && countTyped && count != 1) {
            throw usage.error("--once and --count " + count + " contradict each other: give one of them");
        }
        if (period != null && periodTyped && (countTyped || o.once)) {
            throw usage.error("--period " + period.toPlainString() + " and " + (o.once ? "--once" : "--count " + count)
                    + " both set the number of messages: give one of them");
        }
        if (count != null && !countTyped && (o.once || periodTyped || period != null)) {
            notes.add("COUNT=" + count + " from the environment is set aside: "
                    + (o.once ? "--once" : periodTyped ? "--period" : "PERIOD_MIN") + " sets the number of messages");
            count = null;
        }
        if (period != null && !periodTyped && (o.once || countTyped)) {
            notes.add("PERIOD_MIN=" + period.toPlainString() + " from the environment is set aside: "
                    + (o.once ? "--once" : "--count") + " sets the number of messages");
            period = null;
        }
        if (o.once) {
            return 1;
        }
        if (period != null) {
            return countForPeriod(period, o.interval);
        }
        if (count == null) {
            return 1;
        }
        if (count < 1) {
            throw usage.invalid("--count", "1 or more", count);
        }
        return count;
    }

    /** The original script's count for a period: max(1, floor(period x 60 / interval)), an interval of 0 or less counting as 5 s. */
    static long countForPeriod(BigDecimal minutes, BigDecimal intervalSeconds) {
        BigDecimal interval = intervalSeconds.signum() > 0 ? intervalSeconds : PERIOD_FALLBACK_INTERVAL;
        return Math.max(1, minutes.multiply(SECONDS_PER_MINUTE).divide(interval, 0, RoundingMode.FLOOR).longValueExact());
    }
}
