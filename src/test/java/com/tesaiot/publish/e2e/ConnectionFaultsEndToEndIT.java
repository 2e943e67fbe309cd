package com.tesaiot.publish.e2e;

import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.ReceivedPublish;
import com.tesaiot.publish.testing.faults.FaultProxy;
import com.tesaiot.publish.testing.tool.ToolProcess;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Network faults injected for real, through a TCP proxy between the tool and the broker: a link that stalls
 * with its sockets open, a link that drops every connection right after a PUBLISH, and a broker gone for good.
 * Each prints its fault-table row (sent, acknowledged, received by the broker, lost, duplicated).
 */
class ConnectionFaultsEndToEndIT {
    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder().build();

    @BeforeEach
    void brokerUpAndForgotten() throws Exception {
        broker.start();
        broker.clear();
    }

    private static List<String> args(Path bundle, int port, String... more) {
        List<String> args = new ArrayList<>(List.of("--certs-dir", bundle.toString(), "--broker-host", "127.0.0.1",
                "--broker-port", String.valueOf(port), "--connect-timeout", "2"));
        args.addAll(List.of(more));
        return args;
    }

    private static CompletableFuture<ToolRun> start(List<String> args) {
        return CompletableFuture.supplyAsync(() -> ToolRun.run(args.toArray(String[]::new)));
    }

    @Test
    void aStalledLinkIsDroppedAndRedoneAndEveryReadingArrives() throws Exception {
        Path bundle = broker.writeBundle("device-stall");
        try (FaultProxy proxy = FaultProxy.to(broker.port())) {
            long started = System.nanoTime();
            CompletableFuture<ToolRun> run = start(args(bundle, proxy.port(), "--count", "60", "--interval", "0.05",
                    "--stall-timeout", "1", "--delivery-timeout", "30", "--seed", "9"));
            broker.awaitPublishes(10, Duration.ofSeconds(20));
            proxy.stallOpenConnections(); // a hung proxy: nothing forwarded, nothing closed; a new connection works
            ToolRun result = run.get(60, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            faultRow("stalled link", result);
            assertEquals(0, result.exitCode(), result.err());
            assertTrue(result.summary().contains("Sent 60/60, acknowledged 60, failed 0"), result.err());
            assertTrue(result.err().contains("the connection stalled"), result.err());
            assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "redone at once, not after a keep-alive: " + took);
            // Every reading reached the broker: its data (timestamps aside) against what the same seed makes.
            Map<String, Long> expected = dataCounts(ToolRun.run("--device-id", "device-stall", "--dry-run", "--count", "60",
                    "--interval", "0.05", "--seed", "9").outLines());
            Map<String, Long> received = dataCounts(broker.publishes().stream().map(ReceivedPublish::payloadText).toList());
            expected.forEach((data, n) -> assertTrue(received.getOrDefault(data, 0L) >= n, "a reading never reached the broker"));
        }
    }

    @Test
    void aLinkThatDropsEachConnectionRightAfterAPublishIsNotCalledAnAclDenialWhenTheTopicHadAcknowledgements() throws Exception {
        Path bundle = broker.writeBundle("device-flap");
        try (FaultProxy proxy = FaultProxy.to(broker.port())) {
            // What a connection costs before its first PUBLISH: TLS handshake, CONNECT, and a DISCONNECT record.
            List<String> check = new ArrayList<>(List.of("check"));
            check.addAll(args(bundle, proxy.port()));
            ToolRun probe = ToolRun.run(check.toArray(String[]::new));
            assertEquals(0, probe.exitCode(), probe.out() + probe.err());
            long beforeFirstPublish = proxy.links().get(proxy.links().size() - 1).clientBytes();

            CompletableFuture<ToolRun> run = start(args(bundle, proxy.port(), "--count", "100", "--interval", "0.05",
                    "--delivery-timeout", "3"));
            broker.awaitPublishes(10, Duration.ofSeconds(20));
            proxy.cutNewConnectionsAfter(beforeFirstPublish + 10); // every new connection dies inside its first PUBLISH
            proxy.resetAll();
            ToolRun result = run.get(60, TimeUnit.SECONDS);

            faultRow("flapping link", result);
            assertEquals(1, result.exitCode(), result.err());
            assertFalse(result.err().contains("ACL"), "acknowledgements on this topic rule out an ACL denial: " + result.err());
            assertTrue(result.errorLine().contains("message(s) not acknowledged"), result.err());
            assertTrue(proxy.links().size() > 4, "it kept reconnecting: " + proxy.links().size());
        }
    }

    @Test
    void aBrokerGoneForGoodEndsTheRunWithinAboutOneDeliveryTimeout() throws Exception {
        Path bundle = broker.writeBundle("device-gone");
        CompletableFuture<ToolRun> run = start(args(bundle, broker.port(), "--count", "400", "--interval", "0.02",
                "--max-inflight", "10", "--delivery-timeout", "3"));
        broker.awaitPublishes(20, Duration.ofSeconds(20));
        broker.stop();
        long lost = System.nanoTime();
        ToolRun result = run.get(60, TimeUnit.SECONDS);
        Duration afterLoss = Duration.ofNanos(System.nanoTime() - lost);

        faultRow("broker gone for good", result);
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(afterLoss.compareTo(Duration.ofSeconds(8)) < 0, "ends within about one delivery timeout (3 s): " + afterLoss);
        Matcher m = Pattern.compile("Sent (\\d+)/400, acknowledged (\\d+), failed (\\d+)").matcher(result.summary());
        assertTrue(m.find(), result.err());
        assertEquals(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)),
                "every reading handed over is acknowledged or failed: " + result.summary());
        assertTrue(result.errorLine().contains((400 - Long.parseLong(m.group(2))) + " message(s) not acknowledged"), result.err());
    }

    @Test
    void aBrokerGoneForGoodAtQos0IsNamedAsGoneNotAsAnAclDenial() throws Exception {
        Path bundle = broker.writeBundle("device-gone-qos0");
        CompletableFuture<ToolRun> run = start(args(bundle, broker.port(), "--qos", "0", "--count", "400", "--interval",
                "0.02", "--delivery-timeout", "3"));
        broker.awaitPublishes(20, Duration.ofSeconds(20));
        broker.stop(); // right after a PUBLISH, as an ACL's disconnect would be; but the port is closed from now on
        ToolRun result = run.get(60, TimeUnit.SECONDS);

        faultRow("broker gone for good, QoS 0", result);
        assertEquals(1, result.exitCode(), result.err());
        assertFalse(result.errorLine().contains("ACL probably denies"), result.err());
        assertTrue(result.errorLine().contains("has refused every connection since: the broker went down"), result.err());
    }

    @Test
    void aConnectionCutDuringTheHandshakeBeforeTheBrokerAsksForOurCertificateIsANetworkFaultNotARefusal() throws Exception {
        Path bundle = broker.writeBundle("device-cut-handshake");
        try (FaultProxy proxy = FaultProxy.to(broker.port())) {
            proxy.cutNewConnectionsAfterBrokerBytes(20); // inside the broker's first TLS record: its hello, cut short

            ToolRun result = ToolRun.run(args(bundle, proxy.port(), "--once").toArray(String[]::new));

            result.assertFailsWithOneLine(5, "closed the connection during the TLS handshake, before asking for our certificate");
            assertFalse(result.err().contains("rejected our client certificate"), result.err());
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGTERM with kill")
    void sigtermDuringTheFirstConnectExitsWithinAboutASecondWithTheJsonSummary(@TempDir Path dir) throws Exception {
        Path bundle = broker.writeBundle("device-sigterm-connect");
        try (FaultProxy proxy = FaultProxy.to(broker.port())) {
            proxy.delay(60_000); // a link so slow the TLS handshake cannot finish
            Path stdout = dir.resolve("stdout.json");
            List<String> command = ToolProcess.command(args(bundle, proxy.port(), "--once", "--output", "json"));
            Path stderr = dir.resolve("stderr.log");
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(30)).failFast(() -> !process.isAlive())
                        .until(() -> Files.readString(stderr).contains("Connecting to") && !proxy.links().isEmpty());
                long signalled = System.nanoTime();
                new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
                assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the run stops");
                Duration took = Duration.ofNanos(System.nanoTime() - signalled);
                // About a second on an idle machine (0.1-0.3 s measured); the bound leaves room for a loaded one, and
                // is still well under the connect timeout plus the 5 s the JVM's exit waits for a summary.
                assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "within about a second: " + took);
            } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
                throw new AssertionError("never got to connecting: " + Files.readString(stderr), e);
            } finally {
                process.destroyForcibly();
            }
            assertEquals(143, process.exitValue());
            var summary = new ObjectMapper().readTree(Files.readString(stdout));
            assertTrue(summary.get("interrupted").asBoolean(), summary.toString());
            assertEquals(0, summary.get("sent").asLong(), summary.toString());
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGTERM with kill")
    void sigtermWithReadingsInFlightGivesEachReadingMadeAJsonLineThatAddsUpToTheSummary(@TempDir Path dir) throws Exception {
        Path bundle = broker.writeBundle("device-sigterm-inflight");
        try (FaultProxy proxy = FaultProxy.to(broker.port())) {
            Path stdout = dir.resolve("stdout.jsonl");
            Path stderr = dir.resolve("stderr.log");
            List<String> command = ToolProcess.command(args(bundle, proxy.port(), "--count", "1000", "--interval", "0.02",
                    "--max-inflight", "10", "--stall-timeout", "120", "--delivery-timeout", "120", "--output", "jsonl"));
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            try {
                broker.awaitPublishes(10, Duration.ofSeconds(20));
                proxy.stallOpenConnections(); // the next readings go out and are never acknowledged
                Thread.sleep(500); // 25 readings' time: the window of 10 fills, and the next reading waits for room
                new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
                assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the run stops");
            } finally {
                process.destroyForcibly();
            }
            assertEquals(143, process.exitValue(), Files.readString(stderr));
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(stdout)) {
                lines.add(json.readTree(line));
            }
            var summary = lines.get(lines.size() - 1);
            assertEquals("summary", summary.get("type").asText(), summary.toString());
            List<JsonNode> messages = lines.subList(0, lines.size() - 1);
            Map<String, Long> byStatus = messages.stream().collect(Collectors.groupingBy(m -> m.get("status").asText(),
                    Collectors.counting()));
            // Every reading made has its line: acknowledged, failed (in flight when stopped), or never sent (made,
            // then stopped while it waited for room in the window).
            assertEquals(summary.get("planned").asLong() - summary.get("never_made").asLong(), messages.size(), byStatus.toString());
            assertEquals(summary.get("acknowledged").asLong(), byStatus.getOrDefault("acknowledged", 0L), byStatus.toString());
            assertEquals(summary.get("failed").asLong(), byStatus.getOrDefault("failed", 0L), byStatus.toString());
            assertTrue(summary.get("failed").asLong() >= 1, "readings were in flight when the run stopped: " + summary);
            assertEquals(summary.get("never_sent").asLong() - summary.get("never_made").asLong(),
                    byStatus.getOrDefault("never_sent", 0L), byStatus.toString());
            messages.stream().filter(m -> m.get("status").asText().equals("failed")).forEach(m -> assertTrue(
                    m.get("cause").asText().contains("stopped before the broker acknowledged it"), m.toString()));
        }
    }

    private static Map<String, Long> dataCounts(List<String> payloads) {
        return payloads.stream().map(p -> {
            try {
                return new ObjectMapper().readTree(p).get("data").toString();
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + p, e);
            }
        }).collect(Collectors.groupingBy(d -> d, Collectors.counting()));
    }

    private static long distinctReadings() {
        return broker.publishes().stream().map(p -> p.payloadText()).distinct().count();
    }

    /** One row of the fault table, on the test's output. */
    private static void faultRow(String fault, ToolRun result) {
        long received = broker.publishes().size();
        long distinct = distinctReadings();
        // Distinct payloads bound the duplicates from above: two readings of one second can be equal by chance.
        System.out.println("FAULT-TABLE | " + fault + " | " + result.summary().replaceAll(".*\\] ", "") + " | broker received "
                + received + " (" + distinct + " distinct payloads)");
    }
}
