package com.tesaiot.publish.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code --output jsonl}'s per-message lines. */
class MessageLinesTest {

    @Test
    void eachLineSaysFirstThatItIsAMessage() throws Exception {
        StringWriter out = new StringWriter();
        MessageLines lines = MessageLines.jsonLines(new PrintWriter(out));

        lines.acknowledged(0, 2_500_000);
        lines.failed(1, new ConnectException("Connection refused"));
        lines.written(2);
        lines.neverSent(3, new java.util.concurrent.TimeoutException("no acknowledgement within the delivery timeout"));

        List<String> written = out.toString().lines().toList();
        assertEquals(4, written.size());
        for (String line : written) {
            JsonNode node = new ObjectMapper().readTree(line);
            assertEquals("type", node.fieldNames().next(), line);
            assertEquals("message", node.get("type").asText());
        }
        assertEquals(2.5, new ObjectMapper().readTree(written.get(0)).get("ack_latency_ms").asDouble());
        assertEquals("failed", new ObjectMapper().readTree(written.get(1)).get("status").asText());
        assertEquals("sent_unacknowledged", new ObjectMapper().readTree(written.get(2)).get("status").asText());
        assertEquals("never_sent", new ObjectMapper().readTree(written.get(3)).get("status").asText());
    }
}
