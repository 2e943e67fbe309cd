package com.tesaiot.publish.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The closing line and the JSON say the same numbers, and they add up to the plan, whichever way a run ends. */
class RunSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DeliveryTally tally = new DeliveryTally(DeliveryTally.Story.silent(), MessageLines.NONE);

    private void sentAndAcknowledged(long from, long to) {
        for (long i = from; i < to; i++) {
            tally.sent(i);
            tally.acknowledged(i, 1_000_000);
        }
    }

    private void sentAndFailed(long from, long to) {
        for (long i = from; i < to; i++) {
            tally.sent(i);
            tally.failed(i, new IOException("connection lost"));
        }
    }

    private static JsonNode addsUp(RunSummary summary) throws IOException {
        JsonNode json = JSON.readTree(summary.json());
        assertEquals(json.get("planned").asLong(), json.get("acknowledged").asLong() + json.get("sent_unacknowledged").asLong()
                + json.get("failed").asLong() + json.get("never_sent").asLong(), summary.json());
        assertEquals(json.get("sent").asLong(), json.get("acknowledged").asLong() + json.get("sent_unacknowledged").asLong()
                + json.get("failed").asLong(), summary.json());
        assertTrue(json.get("never_made").asLong() <= json.get("never_sent").asLong(), summary.json());
        assertTrue(summary.line().contains("Sent " + json.get("sent").asLong() + "/" + json.get("planned").asLong())
                || summary.line().contains("sent " + json.get("sent").asLong() + "/" + json.get("planned").asLong()), summary.line());
        assertEquals("summary", json.get("type").asText());
        return json;
    }

    @Test
    void aRunWhoseEveryReadingIsAcknowledgedIsOk() throws IOException {
        sentAndAcknowledged(0, 10);

        RunSummary summary = RunSummary.of(10, 0, 0, tally, false, Duration.ofSeconds(1), 1, false);

        JsonNode json = addsUp(summary);
        assertTrue(json.get("ok").asBoolean());
        assertTrue(summary.line().startsWith("Sent 10/10, acknowledged 10, failed 0 in 1.00 s"), summary.line());
    }

    @Test
    void aBrokerGoneMidRunSeparatesTheFailedFromTheNeverSentAndTheNeverMade() throws IOException {
        sentAndAcknowledged(0, 4);
        sentAndFailed(4, 14);
        for (long i = 14; i < 16; i++) {
            tally.failed(i, new IOException("expired waiting for the connection")); // made, never on the wire
        }

        RunSummary summary = RunSummary.of(20, 4, 0, tally, false, Duration.ofSeconds(3), 1, false);

        JsonNode json = addsUp(summary);
        assertFalse(json.get("ok").asBoolean());
        assertEquals(10, json.get("failed").asLong());
        assertEquals(6, json.get("never_sent").asLong());
        assertEquals(4, json.get("never_made").asLong());
        assertTrue(summary.line().startsWith("Sent 14/20, acknowledged 4, failed 10, never sent 6 (4 never made)"),
                summary.line());
    }

    @Test
    void aStoppedRunWithAnOutboxSaysWhatStaysInIt() throws IOException {
        sentAndAcknowledged(0, 5);
        sentAndFailed(5, 7);

        RunSummary summary = RunSummary.of(100, 93, 2, tally, false, Duration.ofSeconds(1), 1, true);

        JsonNode json = addsUp(summary);
        assertFalse(json.get("ok").asBoolean());
        assertTrue(json.get("interrupted").asBoolean());
        assertEquals(2, json.get("kept_in_outbox").asLong());
        assertTrue(summary.line().startsWith("Stopped early: sent 7/100, acknowledged 5, failed 2, never sent 93"
                + " (93 never made), kept in the outbox 2"), summary.line());
    }

    @Test
    void qosZeroIsSentNeverAcknowledged() throws IOException {
        for (long i = 0; i < 5; i++) {
            tally.sent(i);
            tally.written(i);
        }

        RunSummary summary = RunSummary.of(5, 0, 0, tally, false, Duration.ofSeconds(1), 0, false);

        JsonNode json = addsUp(summary);
        assertTrue(json.get("ok").asBoolean());
        assertEquals(0, json.get("acknowledged").asLong());
        assertEquals(5, json.get("sent_unacknowledged").asLong());
        assertTrue(summary.line().startsWith("Sent 5/5 at QoS 0 (not acknowledged by design), failed 0"), summary.line());
    }

    @Test
    void aQosZeroRunThatFirstSentItsOutboxsQosOneReadingsSaysWhichWereAcknowledged() throws IOException {
        for (long i = 0; i < 12; i++) {
            tally.sent(i);
        }
        for (long i = 0; i < 11; i++) {
            tally.acknowledged(i, 1_000_000);
        }
        tally.written(11);

        RunSummary summary = RunSummary.of(12, 0, 0, tally, false, Duration.ofSeconds(1), 0, false);

        addsUp(summary);
        assertTrue(summary.line().startsWith("Sent 12/12, acknowledged 11 (the outbox's), 1 at QoS 0 (not acknowledged"
                + " by design), failed 0"), summary.line());
    }

    @Test
    void qosZeroWrittenToAConnectionTheBrokerClosedRightAfterCountsAsFailed() throws IOException {
        for (long i = 0; i < 5; i++) {
            tally.sent(i);
            tally.written(i);
        }

        RunSummary summary = RunSummary.of(5, 0, 0, tally, true, Duration.ofSeconds(1), 0, false);

        JsonNode json = addsUp(summary);
        assertFalse(json.get("ok").asBoolean());
        assertEquals(5, json.get("failed").asLong());
    }
}
