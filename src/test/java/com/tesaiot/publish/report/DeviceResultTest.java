package com.tesaiot.publish.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A fleet device's line in {@code --output jsonl}. */
class DeviceResultTest {

    @Test
    void aDeviceWhoseBrokerWentAwayCountsTheReadingsItNeverSentSoItsFatesAddUpToItsPlan() throws Exception {
        DeviceResult result = new DeviceResult("device-7", "device-7", "normal", true, 40_000_000, 100, 21, 20, 1, 0, 3,
                Optional.empty());

        JsonNode line = new ObjectMapper().readTree(result.json());

        assertEquals("device", line.get("type").asText());
        assertEquals(79, line.get("never_sent").asLong());
        assertEquals(line.get("planned").asLong(), line.get("acknowledged").asLong() + line.get("failed").asLong()
                + line.get("never_sent").asLong());
    }
}
