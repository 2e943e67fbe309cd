package com.tesaiot.publish.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code check --output jsonl}: a line per step as it ends, then the result, each saying what it is. */
class CheckOutputTest {

    @Test
    void jsonlIsOneTypedLinePerStepThenTheResult(@TempDir Path bundle) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        DeviceBundleWriter.write(bundle, DeviceBundle.of("device-9", pki.issueClient("device-9", KeyType.EC),
                pki.caChain(), "127.0.0.1", closedPort));

        ToolRun run = ToolRun.run(Map.of(), "check", "--certs-dir", bundle.toString(), "--output", "jsonl");

        assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.err());
        ObjectMapper json = new ObjectMapper();
        List<String> types = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        for (String line : run.outLines()) {
            JsonNode node = json.readTree(line);
            types.add(node.get("type").asText());
            if (node.has("name")) {
                steps.add(node.get("name").asText() + ":" + node.get("status").asText());
            }
        }
        assertEquals(List.of("step", "step", "step", "result"), types, run.out());
        assertEquals(List.of("bundle:ok", "dns:ok", "tcp:fail"), steps);
        JsonNode result = json.readTree(run.outLines().get(3));
        assertEquals(ExitCodes.UNREACHABLE, result.get("exit_code").asInt());
        assertEquals(false, result.get("ok").asBoolean());
    }
}
