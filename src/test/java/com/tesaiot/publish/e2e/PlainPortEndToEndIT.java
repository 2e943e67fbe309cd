package com.tesaiot.publish.e2e;

import com.tesaiot.publish.testing.brokers.LoopbackPorts;
import com.tesaiot.publish.testing.brokers.MosquittoProcess;
import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A port where a broker speaks plain MQTT, not TLS, is named as such, not as a rejected client certificate. */
class PlainPortEndToEndIT {
    @RegisterExtension
    static MutualTlsBroker bundles = MutualTlsBroker.builder().build();

    @Test
    void aPlainMqttPortIsNotCalledARejectedCertificate(@TempDir Path dir) throws Exception {
        Path mosquitto = MosquittoProcess.executable().orElse(null);
        Assumptions.assumeTrue(mosquitto != null, MosquittoProcess.NOT_INSTALLED);
        int port = LoopbackPorts.free();
        Path config = dir.resolve("plain.conf");
        Files.writeString(config, "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        Process broker = new ProcessBuilder(mosquitto.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> LoopbackPorts.accepts(port));

            ToolRun run = ToolRun.run("--certs-dir", bundles.writeBundle("device-plain").toString(), "--broker-host",
                    "127.0.0.1", "--broker-port", String.valueOf(port), "--once", "--connect-timeout", "3");

            run.assertFailsWithOneLine(5, "is " + port + " its MQTT over TLS port?");
            assertFalse(run.err().contains("client certificate"), run.err());

            // check words it as the run does, with the run's exit code.
            ToolRun check = ToolRun.run("check", "--certs-dir", bundles.writeBundle("device-plain-check").toString(),
                    "--broker-host", "127.0.0.1", "--broker-port", String.valueOf(port), "--connect-timeout", "3");
            assertEquals(5, check.exitCode(), check.out());
            assertTrue(check.out().contains("is " + port + " its MQTT over TLS port?"), check.out());
            assertFalse(check.out().contains("rejected our client certificate"), check.out());
        } finally {
            broker.destroy();
        }
    }
}
