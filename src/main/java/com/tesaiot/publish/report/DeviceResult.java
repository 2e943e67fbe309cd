package com.tesaiot.publish.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * What became of one device of a fleet: its line in {@code --output jsonl}.
 *
 * @param connectNanos how long its connect took (TCP, TLS, CONNACK), 0 when it did not connect
 * @param refusal      why it could not run, when it could not
 */
public record DeviceResult(String deviceId, String bundle, String scenario, boolean connected, long connectNanos,
        long planned, long sent, long acknowledged, long failed, long redelivered, long reconnects,
        Optional<String> refusal) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String json() {
        ObjectNode node = JSON.createObjectNode().put("type", "device").put("device", deviceId).put("bundle", bundle)
                .put("scenario", scenario).put("connected", connected)
                .put("connect_ms", Math.round(connectNanos / 1e3) / 1e3)
                .put("planned", planned).put("sent", sent).put("acknowledged", acknowledged).put("failed", failed)
                .put("never_sent", planned - sent).put("redelivered", redelivered).put("reconnects", reconnects);
        refusal.ifPresent(r -> node.put("refused", r));
        return node.toString();
    }
}
