package com.tesaiot.publish.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a device's first reading is due. Without a start time, {@code offset} after the device connects; with one
 * ({@code --start-at}), at that instant plus {@code offset}: the device connects first and then waits, connected, so
 * that in a load test the connect ramp (its handshakes, the broker's authentication) is over before the load begins
 * and does not skew it, and shards in different pods, whose clocks agree (NTP), begin together. A device that
 * connects after the instant begins at once.
 */
public record ReadingStart(Optional<Instant> at, Clock clock) {

    /** Each device's first reading as soon as it is connected (plus its offset). */
    public static final ReadingStart WHEN_CONNECTED = new ReadingStart(Optional.empty(), Clock.systemUTC());

    /** Every device's first reading at {@code at} (plus its offset), by this machine's clock. */
    public static ReadingStart at(Instant at) {
        return new ReadingStart(Optional.of(at), Clock.systemUTC());
    }

    /**
     * How long from now until the first reading of a device whose readings are spread {@code offset} into the first
     * interval (so a fleet does not publish in lock-step).
     */
    public Duration firstReadingIn(Duration offset) {
        if (at.isEmpty()) {
            return offset;
        }
        Duration wait = Duration.between(clock.instant(), at.get()).plus(offset);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** How late the start time already is (zero when it is still ahead, or when there is none). */
    public Duration lateBy() {
        return at.map(t -> Duration.between(t, clock.instant())).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    }
}
