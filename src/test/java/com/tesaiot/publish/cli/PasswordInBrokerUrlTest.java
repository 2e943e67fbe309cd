package com.tesaiot.publish.cli;

import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password written into endpoints.json's broker URL (mqtts://user:pass@host): refused, and never printed by any
 * command in any output (error lines, JSON refusals, the fleet's report), nor written by {@code bundle import}.
 */
class PasswordInBrokerUrlTest {
    private static final String SECRET = "S3cr3t-Pa55-4f9e";

    @TempDir
    static Path fleet;
    @TempDir
    Path work;

    @BeforeAll
    static void bundles() throws Exception {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        DeviceBundleWriter.write(fleet.resolve("device-1"), DeviceBundle.of("device-1",
                pki.issueClient("device-1", KeyType.EC), pki.caChain(), "127.0.0.1", 8883));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"mqtt_broker\": \"mqtts://device-1:" + SECRET + "@127.0.0.1:8883\"}",
        "{\"mqtt_broker\": \"mqtt://device-1:" + SECRET + "@127.0.0.1:1883\"}",
        "{\"mqtt_host\": \"device-1:" + SECRET + "@127.0.0.1\"}"})
    void noCommandPrintsThePasswordOfTheBrokersUrl(String endpoints) throws Exception {
        Path bundle = fleet.resolve("device-1");
        Files.writeString(bundle.resolve("endpoints.json"), endpoints);
        String certsDir = bundle.toString();

        List<ToolRun> runs = List.of(
                ToolRun.run("--certs-dir", certsDir, "--once"),
                ToolRun.run("--certs-dir", certsDir, "--once", "--output", "json"),
                ToolRun.run("--certs-dir", certsDir, "--once", "--verbose"),
                ToolRun.run("check", "--certs-dir", certsDir),
                ToolRun.run("check", "--certs-dir", certsDir, "--output", "json"),
                ToolRun.run("fleet", "--bundles", fleet.toString(), "--shard", "1/1", "--output", "jsonl"),
                ToolRun.run("bundle", "import", certsDir, "--out", work.resolve("imported").toString()));

        for (ToolRun run : runs) {
            String all = run.out() + run.err();
            // The fleet runs on without the refused device, and says so in its report: exit 1.
            assertEquals(run == runs.get(5) ? 1 : 3, run.exitCode(), all);
            assertTrue(all.contains("***") || all.contains("holds a user name"), all);
            assertFalse(all.contains(SECRET), all);
        }
        assertTrue(runs.get(5).out().contains("\"refusals\":[{\"cause\":"), runs.get(5).out());
        try (Stream<Path> written = Files.walk(work)) {
            for (Path file : written.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(file).contains(SECRET), file.toString());
            }
        }
    }
}
