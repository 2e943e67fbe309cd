package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.ReceivedPublish;
import com.tesaiot.publish.testing.tool.ToolProcess;
import com.tesaiot.publish.testing.tool.ToolRun;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QoS 1 as a promise: every reading delivered or accounted for, across broker restarts, outages and signals. */
class DeliveryGuaranteesEndToEndIT {
    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder().build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void brokerUpAndForgotten() throws Exception {
        broker.start(); // a no-op when it runs; a test may have left it stopped
        broker.clear();
    }

    @Test
    void aBrokerRestartMidRunLosesNoReading() throws Exception {
        Path bundle = broker.writeBundle("device-restart");
        String[] args = {"--certs-dir", bundle.toString(), "--count", "1000", "--interval", "0.004", "--seed", "11"};

        CompletableFuture<ToolRun> run = CompletableFuture.supplyAsync(() -> ToolRun.run(args));
        broker.awaitPublishes(200, Duration.ofSeconds(20));
        broker.restart(); // about 4 s down; the new instance listens on the same port
        ToolRun result = run.get(60, TimeUnit.SECONDS);

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.summary().contains("Sent 1000/1000, acknowledged 1000, failed 0, redelivered"), result.err());
        assertTrue(result.err().contains("connection lost"), result.err());
        // Every reading reached a broker at least once: compare the readings' data (timestamps aside) with
        // what the same seed produces.
        Map<String, Long> expected = dataCounts(ToolRun.run("--device-id", "device-restart", "--dry-run", "--count", "1000",
                "--interval", "0.004", "--seed", "11").outLines());
        Map<String, Long> received = dataCounts(broker.publishes().stream().map(ReceivedPublish::payloadText).toList());
        expected.forEach((data, n) -> assertTrue(received.getOrDefault(data, 0L) >= n, "a reading never reached the broker"));
        // ...and no reading went out more often than the summary owns up to.
        java.util.regex.Matcher redelivered = java.util.regex.Pattern.compile("redelivered (\\d+)").matcher(result.summary());
        assertTrue(redelivered.find(), result.summary());
        assertTrue(broker.publishes().size() <= 1000 + Long.parseLong(redelivered.group(1)),
                "broker received " + broker.publishes().size() + "; " + result.summary());
    }

    @Test
    void aBulkRunLongerThanTheDeliveryTimeoutDeliversEveryReading() throws Exception {
        // At --interval 0 every reading is "due" at the start: the delivery timeout must run from when each is
        // made, or a healthy run that lasts longer than the timeout fails its later readings unsent.
        Path bundle = broker.writeBundle("device-bulk");
        long start = System.nanoTime();

        ToolRun result = ToolRun.run("--certs-dir", bundle.toString(), "--count", "40000", "--interval", "0",
                "--max-inflight", "500", "--delivery-timeout", "1");

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.summary().contains("Sent 40000/40000, acknowledged 40000, failed 0"), result.summary());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) > 0, "the run must outlast its delivery timeout: " + took);
    }

    @Test
    void aBrokerDownLongerThanTheDeliveryTimeoutFailsTheRunWithTheCount() throws Exception {
        Path bundle = broker.writeBundle("device-outage");
        String[] args = {"--certs-dir", bundle.toString(), "--count", "40", "--interval", "0.1", "--delivery-timeout", "2"};

        CompletableFuture<ToolRun> run = CompletableFuture.supplyAsync(() -> ToolRun.run(args));
        broker.awaitPublishes(10, Duration.ofSeconds(20));
        broker.stop();
        ToolRun result = run.get(60, TimeUnit.SECONDS);

        long acknowledged = broker.publishes().size();
        assertEquals(1, result.exitCode(), result.err());
        // Readings stop being made once the broker has been away for a delivery timeout: every one sent is
        // acknowledged or failed.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Sent (\\d+)/40, acknowledged " + acknowledged
                + ", failed (\\d+)").matcher(result.summary());
        assertTrue(m.find(), result.err() + " broker received " + acknowledged);
        assertEquals(Long.parseLong(m.group(1)), acknowledged + Long.parseLong(m.group(2)), result.summary());
        // The error line adds up, in the summary's words: of the plan, what was not acknowledged was either sent
        // without an acknowledgement or never sent (made while the broker was away, or never made once it had been
        // gone too long).
        java.util.regex.Matcher error = java.util.regex.Pattern.compile("error: (\\d+) message\\(s\\) not acknowledged .*\\((\\d+)"
                + " sent without an acknowledgement, (\\d+) never sent, (\\d+) of them never made: the broker was gone\\)")
                .matcher(result.err());
        assertTrue(error.find(), result.err());
        assertEquals(40, acknowledged + Long.parseLong(error.group(1)), result.err());
        assertEquals(Long.parseLong(error.group(1)), Long.parseLong(error.group(2)) + Long.parseLong(error.group(3)));
        assertTrue(result.summary().contains("never sent " + error.group(3) + " (" + error.group(4) + " never made)"),
                result.summary());
    }

    @Test
    void jsonOutputCountsWhatTheBrokerReceived() throws Exception {
        Path bundle = broker.writeBundle("device-json");

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--count", "25", "--interval", "0", "--output", "json");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode summary = JSON.readTree(run.out());
        assertEquals(25, broker.awaitPublishes(25, Duration.ofSeconds(5)).size());
        assertTrue(summary.get("ok").asBoolean());
        assertEquals(25, summary.get("acknowledged").asLong());
        assertEquals(0, summary.get("failed").asLong());
        assertTrue(summary.at("/ack_latency_ms/p99").asDouble() > 0);
    }

    @Test
    void jsonLinesGiveOneLinePerMessageThenTheSummary() throws Exception {
        ToolRun run = ToolRun.run("--certs-dir", broker.writeBundle("device-jsonl").toString(), "--count", "5",
                "--interval", "0", "--output", "jsonl");

        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> lines = run.outLines().stream().map(DeliveryGuaranteesEndToEndIT::parse).toList();
        assertEquals(6, lines.size());
        assertEquals(5, lines.stream().filter(l -> "acknowledged".equals(l.path("status").asText())).count());
        assertEquals(5, lines.get(5).get("acknowledged").asLong());
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGINT with kill")
    void ctrlCStopsTheRunPrintsTheSummaryAndExits130() throws Exception {
        Path bundle = broker.writeBundle("device-sigint");
        Process process = new ProcessBuilder(ToolProcess.command(
                "--certs-dir", bundle.toString(), "--count", "1000", "--interval", "0.01"))
                .redirectErrorStream(true)
                .start();
        // Read as it comes: a full pipe would block the child.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            broker.awaitPublishes(20, Duration.ofSeconds(30));
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the run stops");
        } finally {
            process.destroyForcibly();
        }
        String printed = output.get(10, TimeUnit.SECONDS);
        assertEquals(130, process.exitValue(), printed);
        assertTrue(printed.contains("Stopped early: sent "), printed);
        long received = broker.publishes().size();
        assertTrue(printed.contains("acknowledged " + received + ","), printed + " broker received " + received);
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGINT with kill")
    void ctrlCWithTheBrokerGoneStillPrintsTheSummaryPromptly() throws Exception {
        Path bundle = broker.writeBundle("device-sigint-down");
        Path log = Files.createTempFile("sigint-down", ".log");
        Process process = new ProcessBuilder(ToolProcess.command(
                "--certs-dir", bundle.toString(), "--count", "1000", "--interval", "0", "--max-inflight", "10"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            broker.awaitPublishes(20, Duration.ofSeconds(30));
            broker.stop(); // the window fills with unacknowledged readings: the run blocks waiting for room
            long signalled = System.nanoTime();
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the run stops");
            assertTrue(Duration.ofNanos(System.nanoTime() - signalled).compareTo(Duration.ofSeconds(5)) < 0,
                    "within the promised grace, not after a delivery timeout");
        } finally {
            process.destroyForcibly();
        }
        String printed = Files.readString(log);
        assertEquals(130, process.exitValue(), printed);
        assertTrue(printed.contains("Stopped early: sent "), printed);
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "kills the JVM with kill -9")
    void aKilledRunsUnacknowledgedReadingsAreSentByTheNextRunWithTheSameOutbox(@TempDir Path outbox) throws Exception {
        Path bundle = broker.writeBundle("device-outbox");
        Process process = childRun("--certs-dir", bundle.toString(), "--count", "1000", "--interval", "0.005",
                "--seed", "5", "--outbox", outbox.toString());
        broker.awaitPublishes(100, Duration.ofSeconds(30));
        broker.stop(); // nothing is acknowledged from here on...
        new ProcessBuilder("kill", "-KILL", String.valueOf(process.pid())).start().waitFor();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        long handedOver = Files.readAllLines(outbox.resolve("journal.jsonl")).stream().filter(l -> l.contains("\"seq\"")).count();
        broker.start(); // ...until the next run

        ToolRun next = ToolRun.run("--certs-dir", bundle.toString(), "--once", "--seed", "6", "--outbox", outbox.toString());

        assertEquals(0, next.exitCode(), next.err());
        assertTrue(next.err().contains("unacknowledged reading(s) from outbox"), next.err());
        Map<String, Long> expected = dataCounts(ToolRun.run("--device-id", "device-outbox", "--dry-run", "--count",
                String.valueOf(handedOver), "--interval", "0.005", "--seed", "5").outLines());
        Map<String, Long> received = dataCounts(broker.publishes().stream().map(ReceivedPublish::payloadText).toList());
        expected.forEach((data, n) -> assertTrue(received.getOrDefault(data, 0L) >= n,
                "a reading the killed run had taken on never reached the broker"));
        assertFalse(Files.exists(outbox.resolve("journal.jsonl")), "an outbox whose readings are all acknowledged is emptied");
    }

    @Test
    void anOutboxHoldingAnotherDevicesReadingsIsRefusedAndKeptAsItIs(@TempDir Path outbox) throws Exception {
        Path bundle = broker.writeBundle("device-own-outbox");
        Files.writeString(outbox.resolve("journal.jsonl"),
                "{\"seq\":0,\"topic\":\"device/another-device/telemetry\",\"qos\":1,\"payload\":\"{}\"}\n");
        String journal = Files.readString(outbox.resolve("journal.jsonl"));

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--once", "--outbox", outbox.toString());

        run.assertFailsWithOneLine(2, "holds 1 unacknowledged reading(s) for topic 'device/another-device/telemetry',"
                + " not this run's 'device/device-own-outbox/telemetry'");
        assertEquals(journal, Files.readString(outbox.resolve("journal.jsonl")), "the other device's reading is kept");
        assertTrue(broker.publishes().isEmpty(), "nothing was sent");
        assertFalse(run.err().contains("Connecting to"), "a refusal that connects to nothing says no 'Connecting to': " + run.err());
    }

    @Test
    void aDamagedJournalLineIsNamedAndKeptAndTheRunGoesOnOnlyWhenToldTo(@TempDir Path outbox) throws Exception {
        Path bundle = broker.writeBundle("device-damaged");
        String topic = "device/device-damaged/telemetry";
        List<String> journal = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            journal.add(JSON.createObjectNode().put("seq", i).put("topic", topic).put("qos", 1)
                    .put("payload", "{\"reading\":" + i + "}").toString());
        }
        String damaged = journal.get(1).substring(0, 30); // a line cut short by a crash or an editor
        journal.add(1, damaged);
        Files.write(outbox.resolve("journal.jsonl"), journal);

        ToolRun stopped = ToolRun.run("--certs-dir", bundle.toString(), "--once", "--outbox", outbox.toString());

        stopped.assertFailsWithOneLine(74, "has 1 unreadable line(s) (line 2), kept verbatim in ");
        assertEquals(0, broker.publishes().size(), "nothing is sent before the damage is looked at");
        ToolRun goingOn = ToolRun.run("--certs-dir", bundle.toString(), "--once", "--outbox", outbox.toString(),
                "--skip-unreadable-outbox-lines");
        assertEquals(0, goingOn.exitCode(), goingOn.err());
        assertEquals(List.of("{\"reading\":0}", "{\"reading\":1}", "{\"reading\":2}"), broker.awaitPublishes(4,
                Duration.ofSeconds(5)).stream().map(ReceivedPublish::payloadText).limit(3).toList());
        try (var files = Files.list(outbox)) {
            List<Path> kept = files.filter(f -> f.getFileName().toString().startsWith("unreadable-")).toList();
            assertFalse(kept.isEmpty(), "the damaged line is kept beside the journal");
            for (Path f : kept) {
                assertEquals(List.of(damaged), Files.readAllLines(f));
            }
        }
    }

    /** The tool in a JVM of its own, to be signalled or killed; its output is drained so it never blocks. */
    private static Process childRun(String... args) throws java.io.IOException {
        return new ProcessBuilder(ToolProcess.command(args)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static Map<String, Long> dataCounts(List<String> payloads) {
        return payloads.stream().map(p -> parse(p).get("data").toString())
                .collect(Collectors.groupingBy(Function.identity(), HashMap::new, Collectors.counting()));
    }
}
