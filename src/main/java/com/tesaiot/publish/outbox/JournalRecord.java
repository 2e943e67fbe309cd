package com.tesaiot.publish.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One line of the journal, as JSON: {@code {"seq","topic","qos","payload"}} when a reading is handed to the
 * publisher, {@code {"ack"}} when the broker acknowledged it (or, at QoS 0, it was written).
 */
sealed interface JournalRecord {
    ObjectMapper JSON = new ObjectMapper();

    /** A reading handed to the publisher as {@code sequence}. */
    record Sent(long sequence, StoredMessage message) implements JournalRecord {
        @Override
        public byte[] line() {
            return JournalRecord.line(JSON.createObjectNode().put("seq", sequence).put("topic", message.topic())
                    .put("qos", message.qos()).put("payload", new String(message.payload(), StandardCharsets.UTF_8)));
        }
    }

    /** Reading {@code sequence} needs no resending: acknowledged (QoS 0: written). */
    record Settled(long sequence) implements JournalRecord {
        @Override
        public byte[] line() {
            return JournalRecord.line(JSON.createObjectNode().put("ack", sequence));
        }
    }

    /** The record as one line, newline included, in UTF-8: what goes to the file in one write. */
    byte[] line();

    private static byte[] line(JsonNode record) {
        return (record.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The record {@code line} holds; empty when it is not a complete record (a hand edit, a power cut). */
    static Optional<JournalRecord> parse(String line) {
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (record == null || !record.isObject()) {
            return Optional.empty();
        }
        if (record.path("ack").canConvertToLong() && record.size() == 1) {
            return Optional.of(new Settled(record.get("ack").asLong()));
        }
        if (record.path("seq").canConvertToLong() && record.path("topic").isTextual() && record.path("qos").isInt()
                && record.path("payload").isTextual()) {
            return Optional.of(new Sent(record.get("seq").asLong(), new StoredMessage(record.get("topic").asText(),
                    record.get("qos").asInt(), record.get("payload").asText().getBytes(StandardCharsets.UTF_8))));
        }
        return Optional.empty();
    }
}
