package com.tesaiot.publish.mqtt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PahoConnectionTest {

    @Test
    void pahoLeavesRoomForManyWindowsOfMessagesItStillCountsAfterOurWindowGaveUpOnThem() {
        for (int window : new int[] {1, 100, 4_000}) {
            assertTrue(PahoConnection.pahoMaxInflight(window) >= 16 * window, "window " + window);
        }
    }

    @Test
    void pahoNeverCountsBeyondTheMessageIdsMqttHas() {
        assertEquals(65_535, PahoConnection.pahoMaxInflight(65_535));
        assertEquals(65_535, PahoConnection.pahoMaxInflight(5_000));
    }

    @Test
    void theDefaultWindowDoesNotMakePahoAllocateForEveryMessageId() {
        // Paho allocates a list of its limit's capacity twice per connect.
        assertEquals(1_600, PahoConnection.pahoMaxInflight(100));
    }
}
