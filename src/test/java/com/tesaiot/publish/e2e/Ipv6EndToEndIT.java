package com.tesaiot.publish.e2e;

import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.faults.FaultProxy;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A broker reached by an IPv6 literal, as flag and as endpoints.json URL, with the host checked against the
 * certificate's IP entry. The broker listens on 127.0.0.1; a plain TCP relay on [::1] stands in for its IPv6 side.
 */
class Ipv6EndToEndIT {
    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder().serverNames("localhost", "127.0.0.1", "::1").build();

    @Test
    void publishesToAnIpv6LiteralGivenAsAFlag() throws Exception {
        try (FaultProxy ipv6 = FaultProxy.listeningOn("::1", broker.port())) {
            ToolRun run = ToolRun.run("--certs-dir", broker.writeBundle("device-v6").toString(), "--broker-host", "::1",
                    "--broker-port", String.valueOf(ipv6.port()), "--once");

            assertEquals(0, run.exitCode(), run.err());
            assertEquals(1, broker.awaitPublishes(1, Duration.ofSeconds(5)).stream()
                    .filter(p -> p.topic().equals("device/device-v6/telemetry")).count());
        }
    }

    @Test
    void checksAndPublishesToAnIpv6UrlInEndpointsJson() throws Exception {
        try (FaultProxy ipv6 = FaultProxy.listeningOn("::1", broker.port())) {
            Path bundle = broker.writeBundle("device-v6-url");
            Files.writeString(bundle.resolve("endpoints.json"), "{\"mqtt_broker\": \"mqtts://[::1]:" + ipv6.port() + "\"}");

            ToolRun check = ToolRun.run("check", "--certs-dir", bundle.toString());
            assertEquals(0, check.exitCode(), check.out() + check.err());
            ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--once");
            assertEquals(0, run.exitCode(), run.err());
        }
    }
}
