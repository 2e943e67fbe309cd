package com.tesaiot.publish.e2e;

import com.tesaiot.publish.testing.brokers.LoopbackPorts;
import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fleet --metrics-port}: Prometheus scrapes the run's counters while it goes, against the embedded broker. */
class FleetMetricsEndToEndIT {
    @RegisterExtension
    static final MutualTlsBroker BROKER = MutualTlsBroker.builder().build();

    private static final int DEVICES = 4;
    private static final int COUNT = 50;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void aScrapeDuringTheFleetSeesItsCountersMoveLabelledWithTheShard() throws Exception {
        Path fleet = FleetDirectory.create(dir.resolve("fleet"), BROKER.pki(), BROKER.port(), DEVICES);
        int port = LoopbackPorts.free();
        CompletableFuture<ToolRun> run = CompletableFuture.supplyAsync(() -> ToolRun.run("fleet", "--bundles",
                fleet.toString(), "--shard", "1/1", "--count", String.valueOf(COUNT), "--interval", "0.1",
                "--connect-rate", "100", "--metrics-port", String.valueOf(port)));

        // The server lives as long as the run: a scrape that answers was taken while the fleet went on.
        double early = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> acknowledged(port), n -> n > 0 && n < DEVICES * COUNT);
        String later = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> scrape(port), text -> value(text, "tesaiot_readings_acknowledged_total") > early);
        ToolRun result = run.get(90, TimeUnit.SECONDS);

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(DEVICES, value(later, "tesaiot_device_connects_total"), later);
        assertEquals(DEVICES, value(later, "tesaiot_connect_seconds_count"), later);
        assertTrue(value(later, "tesaiot_readings_sent_total") >= value(later, "tesaiot_readings_acknowledged_total"), later);
        assertTrue(value(later, "tesaiot_ack_latency_seconds_count") > early, later);
        assertEquals(0, value(later, "tesaiot_readings_failed_total"), later);
        assertTrue(later.contains("tesaiot_readings_acknowledged_total{shard=\"1/1\"}"), later);
    }

    private static double acknowledged(int port) throws IOException, InterruptedException {
        return value(scrape(port), "tesaiot_readings_acknowledged_total");
    }

    /** /metrics as text; empty while nothing listens yet (the fleet is still starting). */
    private static String scrape(int port) throws IOException, InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.net.ConnectException e) {
            return "";
        }
    }

    /** The value of {@code name}'s sample (a single label set), or -1 when it is not there. */
    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*} (\\S+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
