package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.app.ScenarioMix;
import com.tesaiot.publish.telemetry.TelemetryStream;
import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.ReceivedConnect;
import com.tesaiot.publish.testing.brokers.ReceivedPublish;
import com.tesaiot.publish.testing.tool.ToolProcess;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fleet against the embedded HiveMQ broker: each device under its own identity, across a broker restart and Ctrl-C. */
class FleetHiveMqEndToEndIT {
    @RegisterExtension
    static final MutualTlsBroker BROKER = MutualTlsBroker.builder().build();

    private static final int DEVICES = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path fleet;

    @BeforeAll
    static void fleetOfADozen() throws Exception {
        fleet = FleetDirectory.create(dir.resolve("fleet"), BROKER.pki(), BROKER.port(), DEVICES);
    }

    @BeforeEach
    void brokerUpAndForgotten() throws Exception {
        BROKER.start();
        BROKER.clear();
    }

    @Test
    void aBrokerRestartMidFleetLosesNoReadingOfAnyDevice() throws Exception {
        String mix = "normal=2,fever=1,afib=1";
        String[] args = {"fleet", "--bundles", fleet.toString(), "--count", "60", "--interval", "0.05",
                "--connect-rate", "100", "--seed", "9", "--scenario-mix", mix, "--output", "json"};

        CompletableFuture<ToolRun> run = CompletableFuture.supplyAsync(() -> ToolRun.run(args));
        BROKER.awaitPublishes(150, Duration.ofSeconds(30));
        BROKER.restart(); // about 4 s down; the new instance listens on the same port
        ToolRun result = run.get(90, TimeUnit.SECONDS);

        assertEquals(0, result.exitCode(), result.err());
        JsonNode report = JSON.readTree(result.out());
        assertEquals(DEVICES * 60, report.get("acknowledged").asInt(), result.out());
        assertEquals(0, report.get("failed").asInt(), result.out());
        assertTrue(report.get("reconnects").asInt() >= DEVICES, result.out());
        assertTrue(result.err().contains("connection lost"), result.err());
        for (ReceivedConnect connect : BROKER.connects()) {
            assertEquals(connect.clientId(), connect.certificateCommonName(), connect.toString());
        }
        // Every device's every reading reached a broker at least once, on its own topic: compare the readings'
        // data (timestamps aside) with what the device's own seed and scenario produce.
        ScenarioMix scenarios = ScenarioMix.parse(mix);
        for (int n = 1; n <= DEVICES; n++) {
            String id = String.format("device-%05d", n);
            TelemetryStream stream = new TelemetryStream(id, scenarios.scenarioOf(id), ScenarioMix.seedOf(9, id),
                    Duration.ofMillis(50));
            Map<String, Long> expected = new HashMap<>();
            for (int i = 0; i < 60; i++) {
                expected.merge(data(new String(stream.nextPayload(Instant.now()), StandardCharsets.UTF_8)), 1L, Long::sum);
            }
            List<ReceivedPublish> received = BROKER.publishes().stream().filter(p -> p.clientId().equals(id)).toList();
            assertTrue(received.stream().allMatch(p -> p.topic().equals("device/" + id + "/telemetry")), received.toString());
            Map<String, Long> receivedData = new HashMap<>();
            received.forEach(p -> receivedData.merge(data(p.payloadText()), 1L, Long::sum));
            expected.forEach((data, count) -> assertTrue(receivedData.getOrDefault(data, 0L) >= count,
                    id + ": a reading never reached the broker"));
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGINT with kill")
    void ctrlCStopsEveryDeviceAndStillPrintsTheSummary() throws Exception {
        Path log = Files.createTempFile(dir, "fleet-sigint", ".log");
        Process process = new ProcessBuilder(ToolProcess.command(
                "fleet", "--bundles", fleet.toString(), "--count", "1000", "--interval", "0.05", "--connect-rate", "100"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            BROKER.awaitPublishes(100, Duration.ofSeconds(30));
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the fleet stops");
        } finally {
            process.destroyForcibly();
        }
        String printed = Files.readString(log);
        assertEquals(130, process.exitValue(), printed);
        assertTrue(printed.contains("Stopped early: fleet of " + DEVICES + " device(s): " + DEVICES + " connected"), printed);
        assertTrue(printed.contains("Ack latency p50"), printed);
    }

    private static String data(String payload) {
        try {
            return JSON.readTree(payload).get("data").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
