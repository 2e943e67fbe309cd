package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.testing.brokers.LoopbackPorts;
import com.tesaiot.publish.testing.brokers.MosquittoProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reusable CI smoke test's local twin ({@code .github/smoke/local-smoke-test.sh}) passes with the packaged jar
 * against mosquitto, and leaves in the job summary what the CI user reads. An integration test: it needs the jar.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "a bash script")
class LocalSmokeTestIT {
    @TempDir
    Path dir;

    @Test
    void checksThenPublishesTheReadingsAndSummarizesTheRun() throws Exception {
        assumeTrue(MosquittoProcess.installed(), MosquittoProcess.NOT_INSTALLED);
        Path summary = dir.resolve("step-summary.md");
        Path log = dir.resolve("smoke.log");
        ProcessBuilder smoke = new ProcessBuilder(".github/smoke/local-smoke-test.sh", "target/tesaiot-publish.jar")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = smoke.environment();
        env.keySet().removeIf(name -> name.startsWith("MQTT_") || name.equals("CERTS_DIR") || name.equals("TOPIC"));
        env.putAll(Map.of("COUNT", "7", "SMOKE_PORT", String.valueOf(LoopbackPorts.free()),
                "SMOKE_OUT", dir.toString(), "GITHUB_STEP_SUMMARY", summary.toString(),
                "MOSQUITTO", MosquittoProcess.executable().orElseThrow().toString()));

        Process run = smoke.start();

        assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the smoke test did not finish within 2 minutes");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, run.exitValue(), output);
        JsonNode result = new ObjectMapper().readTree(dir.resolve("smoke-summary.json").toFile());
        assertEquals(7, result.get("acknowledged").asInt(), result.toString());
        assertTrue(result.get("ok").asBoolean(), result.toString());
        String markdown = Files.readString(summary, StandardCharsets.UTF_8);
        assertTrue(markdown.contains("| `check` | 0 |") && markdown.contains("| publish 7 readings | 0 |"), markdown);
        assertTrue(markdown.contains("\"acknowledged\":7"), markdown);
    }
}
