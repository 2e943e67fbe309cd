package com.tesaiot.publish.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.testing.brokers.EmqxShapedBroker;
import com.tesaiot.publish.testing.tool.ToolRun;

/**
 * The EMQX-shaped broker killed mid-run (SIGKILL: no DISCONNECT, no more acknowledgements), in a class of its own
 * because the broker stays dead: the run ends as not delivered and claims no reading the broker did not receive.
 */
class EmqxShapedBrokerDiesEndToEndIT {
    @RegisterExtension
    static final EmqxShapedBroker BROKER = EmqxShapedBroker.certificateOnly();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBrokerThatDiesMidRunLeavesNoReadingCountedAsAcknowledgedThatItDidNotReceive() throws Exception {
        String deviceId = "emqx-broker-dies";
        Path bundle = BROKER.bundle(deviceId);

        CompletableFuture<ToolRun> running = CompletableFuture.supplyAsync(() -> ToolRun.run("--certs-dir",
                bundle.toString(), "--count", "2000", "--interval", "0.005", "--delivery-timeout", "3", "--output", "json"));
        BROKER.process().awaitPublishesFrom(deviceId, 20, Duration.ofSeconds(10));
        BROKER.process().kill();
        ToolRun run = running.get(60, TimeUnit.SECONDS);

        assertEquals(1, run.exitCode(), run.err());
        JsonNode summary = JSON.readTree(run.out());
        long received = BROKER.process().publishesFrom(deviceId).size();
        long acknowledged = summary.get("acknowledged").asLong();
        assertTrue(acknowledged <= received, "acknowledged " + acknowledged + " but the broker received " + received);
        assertTrue(received < 2000, "the broker died before the run's end: " + received);
    }
}
