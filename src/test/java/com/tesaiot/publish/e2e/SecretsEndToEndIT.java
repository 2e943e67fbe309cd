package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secrets given to a broker that wants a password: piped, missing, or typed where ps shows them. */
class SecretsEndToEndIT {
    /** Devices whose API key the platform has since changed: their next login is refused. */
    private static final Set<String> REVOKED = ConcurrentHashMap.newKeySet();

    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder()
            .requirePassword(id -> REVOKED.contains(id) ? "new-key-" + id : "key-" + id).build();

    private static Path bundleWithoutApiKey(String id) throws Exception {
        Path bundle = broker.writeBundle(id);
        Files.deleteIfExists(bundle.resolve("api_key.txt"));
        return bundle;
    }

    @Test
    void aPasswordPipedToStandardInputIsReadWithoutAPromptAndJsonStillParses() throws Exception {
        ToolRun run = ToolRun.runWithInput("key-device-piped\n", "--certs-dir", bundleWithoutApiKey("device-piped").toString(),
                "--once", "--password", "--output", "json");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(new ObjectMapper().readTree(run.out()).get("ok").asBoolean(), run.out());
        assertFalse((run.out() + run.err()).contains("password:"), "no prompt when standard input is not a terminal");
    }

    @Test
    void aPasswordFlagWithNothingOnStandardInputNamesTheVariable() throws Exception {
        ToolRun run = ToolRun.runWithInput("", "--certs-dir", bundleWithoutApiKey("device-none").toString(), "--once",
                "--password");

        run.assertFailsWithOneLine(2, "give the secret in MQTT_PASSWORD");
    }

    @Test
    void aPasswordTypedAsAFlagValueWorksButDrawsAWarningThatNeverEchoesIt() throws Exception {
        ToolRun run = ToolRun.run("--certs-dir", bundleWithoutApiKey("device-typed").toString(), "--once",
                "--password=key-device-typed");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().filter(l -> l.startsWith("warning: --password") && l.contains("MQTT_PASSWORD")).count(), run.err());
        assertFalse(run.err().contains("key-device-typed"), run.err());
    }

    @Test
    void aBrokerThatRefusesOurLoginOnReconnectIsNamedAsSuch() throws Exception {
        Path bundle = broker.writeBundle("device-revoked"); // api_key.txt holds key-device-revoked
        CompletableFuture<ToolRun> run = CompletableFuture.supplyAsync(() -> ToolRun.run("--certs-dir", bundle.toString(),
                "--count", "400", "--interval", "0.02", "--delivery-timeout", "10"));
        broker.awaitPublishes(10, Duration.ofSeconds(20));
        REVOKED.add("device-revoked");
        broker.restart(); // drops the connection; the reconnect now meets the new rule

        ToolRun result = run.get(90, TimeUnit.SECONDS);

        assertEquals(4, result.exitCode(), result.err());
        assertTrue(result.errorLine().contains("on reconnecting, ") && result.errorLine().contains("refused the user name or password (CONNACK 4)"),
                result.err());
    }
}
