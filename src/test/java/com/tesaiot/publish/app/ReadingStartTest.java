package com.tesaiot.publish.app;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadingStartTest {
    private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration OFFSET = Duration.ofMillis(250);

    @Test
    void withoutAStartTimeTheFirstReadingComesItsOffsetAfterConnecting() {
        assertEquals(OFFSET, new ReadingStart(Optional.empty(), CLOCK).firstReadingIn(OFFSET));
    }

    @Test
    void aConnectedDeviceWaitsForTheStartTimePlusItsOffset() {
        ReadingStart start = new ReadingStart(Optional.of(NOW.plusSeconds(30)), CLOCK);

        assertEquals(Duration.ofSeconds(30).plus(OFFSET), start.firstReadingIn(OFFSET));
        assertEquals(Duration.ZERO, start.lateBy());
    }

    @Test
    void aDeviceConnectedAfterTheStartTimeBeginsAtOnce() {
        ReadingStart start = new ReadingStart(Optional.of(NOW.minusSeconds(2)), CLOCK);

        assertEquals(Duration.ZERO, start.firstReadingIn(OFFSET));
        assertEquals(Duration.ofSeconds(2), start.lateBy());
    }

    @Test
    void aDeviceWhoseOffsetReachesPastALateStartWaitsOnlyTheRest() {
        ReadingStart start = new ReadingStart(Optional.of(NOW.minusMillis(100)), CLOCK);

        assertEquals(Duration.ofMillis(150), start.firstReadingIn(OFFSET));
    }
}
