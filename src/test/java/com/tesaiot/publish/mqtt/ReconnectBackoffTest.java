package com.tesaiot.publish.mqtt;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReconnectBackoffTest {

    @Test
    void waitsDoubleFromAQuarterSecondAndStopAtTenSeconds() {
        List<Duration> waits = new ArrayList<>();
        Duration wait = ReconnectBackoff.FIRST;
        for (int attempt = 0; attempt < 9; attempt++) {
            waits.add(wait);
            wait = ReconnectBackoff.after(wait);
        }

        assertEquals(List.of(250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L, 10_000L),
                waits.stream().map(Duration::toMillis).toList());
    }
}
