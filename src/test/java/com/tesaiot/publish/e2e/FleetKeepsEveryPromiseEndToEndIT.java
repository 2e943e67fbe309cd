package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet's device is the single run's device session: it keeps the same promises (QoS, topic template, outbox,
 * the broker-gone stop, reconnect counts), proved against the embedded HiveMQ broker.
 */
class FleetKeepsEveryPromiseEndToEndIT {
    @RegisterExtension
    static final MutualTlsBroker BROKER = MutualTlsBroker.builder().build();

    private static final int DEVICES = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path fleet;

    @BeforeAll
    static void fleetOfFour() throws Exception {
        fleet = FleetDirectory.create(dir.resolve("fleet"), BROKER.pki(), BROKER.port(), DEVICES);
    }

    @BeforeEach
    void brokerUpAndForgotten() throws Exception {
        BROKER.start();
        BROKER.clear();
    }

    private static List<String> fleetArgs(String... more) {
        List<String> args = new ArrayList<>(List.of("fleet", "--bundles", fleet.toString(), "--connect-rate", "100",
                "--seed", "3"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void everyDevicePublishesAtTheQosAndOnTheTemplatedTopicGiven() throws Exception {
        ToolRun run = ToolRun.run(fleetArgs("--count", "3", "--interval", "0", "--qos", "2", "--topic",
                "device/{device_id}/events", "--output", "json").toArray(String[]::new));

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(DEVICES * 3, JSON.readTree(run.out()).get("acknowledged").asInt(), run.out());
        List<ReceivedPublish> received = BROKER.publishes();
        assertEquals(DEVICES * 3, received.size(), received.toString());
        for (ReceivedPublish p : received) {
            assertEquals(2, p.qos(), p.toString());
            assertEquals("device/" + p.clientId() + "/events", p.topic());
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "kills the JVM with kill -9")
    void aFleetKilledMidRunSendsEveryDevicesUnacknowledgedReadingsOnItsNextRun(@TempDir Path outbox) throws Exception {
        Process killed = childRun(fleetArgs("--count", "1000", "--interval", "0.01", "--outbox", outbox.toString()));
        BROKER.awaitPublishes(DEVICES * 10, Duration.ofSeconds(30));
        BROKER.stop(); // nothing is acknowledged from here on...
        new ProcessBuilder("kill", "-KILL", String.valueOf(killed.pid())).start().waitFor();
        assertTrue(killed.waitFor(10, TimeUnit.SECONDS));
        List<String> journalled = journalledReadings(outbox);
        assertTrue(journalled.size() >= DEVICES, "each device journals what it sends: " + journalled.size());
        BROKER.start(); // ...until the next run
        BROKER.clear();

        ToolRun next = ToolRun.run(fleetArgs("--count", "1", "--interval", "0", "--outbox", outbox.toString(),
                "--output", "json").toArray(String[]::new));

        assertEquals(0, next.exitCode(), next.err());
        // Two readings of one device in one second can be byte for byte the same: compare counts, not sets.
        Map<String, Long> received = BROKER.publishes().stream().map(ReceivedPublish::payloadText)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        journalled.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                .forEach((reading, n) -> assertTrue(received.getOrDefault(reading, 0L) >= n,
                        "a reading the killed fleet had taken on never reached the broker"));
        assertEquals(journalled.size() + DEVICES, JSON.readTree(next.out()).get("acknowledged").asInt(), next.out());
        assertTrue(journalledReadings(outbox).isEmpty(), "every device's outbox is emptied once all is acknowledged");
    }

    @Test
    void devicesStopMakingReadingsOnceTheBrokerIsGoneAndSaySo() throws Exception {
        Path log = Files.createTempFile(dir, "fleet-gone", ".log");
        Process process = childRun(fleetArgs("--count", "100000", "--interval", "0.05", "--delivery-timeout", "2",
                "--output", "json"), log);
        BROKER.awaitPublishes(DEVICES * 5, Duration.ofSeconds(30));
        BROKER.stop();

        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the fleet ends instead of making 100 000 readings a device");
        String printed = Files.readString(log);
        assertEquals(1, process.exitValue(), printed);
        assertTrue(printed.contains("the broker has been unreachable for longer than the delivery timeout"), printed);
        assertTrue(printed.contains("never made: the broker was gone"), printed);
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGINT with kill")
    void ctrlCWhileTheFleetIsStillPreparingItsBundlesEndsWithTheSummaryAndTheJson(@TempDir Path work) throws Exception {
        Path many = FleetDirectory.create(work.resolve("many"), BROKER.pki(), BROKER.port(), 150);
        Path log = Files.createTempFile(work, "fleet-preparing", ".log");
        Path json = Files.createTempFile(work, "fleet-preparing", ".json");
        List<String> command = ToolProcess.command("fleet", "--bundles", many.toString(), "--count", "1000", "--interval",
                "1", "--output", "json");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(json.toFile()).start();
        try {
            // The first line comes before the bundles are prepared: the signal lands while they are.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(log).contains("Fleet of 150 device(s)"));
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the fleet stops");
        } finally {
            process.destroyForcibly();
        }
        String printed = Files.readString(log);
        assertEquals(130, process.exitValue(), printed);
        assertTrue(printed.contains("Stopped early"), printed);
        JsonNode report = JSON.readTree(Files.readString(json));
        assertTrue(report.get("interrupted").asBoolean(), report.toString());
    }

    /** The readings the devices' journals hold unacknowledged: each sent line not struck by an ack line. */
    private static List<String> journalledReadings(Path outbox) throws Exception {
        List<String> readings = new ArrayList<>();
        if (!Files.isDirectory(outbox)) {
            return readings;
        }
        try (Stream<Path> files = Files.walk(outbox)) {
            for (Path journal : files.filter(f -> f.getFileName().toString().equals("journal.jsonl")).toList()) {
                java.util.Map<Long, String> pending = new java.util.HashMap<>();
                for (String line : Files.readAllLines(journal)) {
                    JsonNode node = JSON.readTree(line);
                    if (node.has("payload")) {
                        pending.put(node.get("seq").asLong(), node.get("payload").asText());
                    } else if (node.has("ack")) {
                        pending.remove(node.get("ack").asLong());
                    }
                }
                readings.addAll(pending.values());
            }
        }
        return readings;
    }

    private static Process childRun(List<String> args) throws java.io.IOException {
        return childRun(args, null);
    }

    private static Process childRun(List<String> args, Path log) throws java.io.IOException {
        ProcessBuilder builder = new ProcessBuilder(ToolProcess.command(args)).redirectErrorStream(true);
        return (log == null ? builder.redirectOutput(ProcessBuilder.Redirect.DISCARD) : builder.redirectOutput(log.toFile()))
                .start();
    }
}
