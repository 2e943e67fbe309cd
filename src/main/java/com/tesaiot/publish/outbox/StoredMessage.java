package com.tesaiot.publish.outbox;

/** A reading an earlier run handed to the publisher and never saw acknowledged. */
public record StoredMessage(String topic, int qos, byte[] payload) {
}
