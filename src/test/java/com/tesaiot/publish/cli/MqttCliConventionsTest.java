package com.tesaiot.publish.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Model.CommandSpec;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The names every MQTT command line tool uses (mosquitto_pub, mqtt-cli, MQTTX): -h host, -p port, -i id, -u user,
 * -P password, -L URL; help on --help only. Run in-process against ports where nothing listens: which address a run
 * tries, and with which exit code, shows how the options were read.
 */
class MqttCliConventionsTest {
    @TempDir
    static Path bundleDir;
    /** Where endpoints.json points: a run that reaches this port ignored the broker it was given. */
    private static int endpointsPort;
    private static int givenPort;

    @BeforeAll
    static void writeBundle() throws Exception {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            endpointsPort = a.getLocalPort();
            givenPort = b.getLocalPort();
        }
        DeviceBundleWriter.write(bundleDir, DeviceBundle.of("device-7", pki.issueClient("device-7", KeyType.EC),
                pki.caChain(), "127.0.0.1", endpointsPort));
    }

    private static ToolRun run(String... args) {
        return ToolRun.run(Map.of(), args);
    }

    @Test
    void aLoneDashHPointsToHelpWithTheUsageExitCodeInsteadOfPrintingHelp() {
        ToolRun run = run("-h");

        run.assertFailsWithOneLine(ExitCodes.USAGE, "--help");
        assertEquals("", run.out(), "no help on standard output");
    }

    @Test
    void dashHBeforeAnotherOptionIsNotHelpEither() {
        ToolRun run = run("--certs-dir", bundleDir.toString(), "-h", "--once");

        run.assertFailsWithOneLine(ExitCodes.USAGE, "-h is the broker host");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-h", "--host", "--broker-host"})
    void eachHostNameSetsTheHost(String name) {
        // ::1 is not where endpoints.json points (127.0.0.1): the refusal there shows the flag was taken.
        ToolRun run = run("--certs-dir", bundleDir.toString(), name, "::1", "-p", String.valueOf(givenPort), "--once");

        assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.err());
        assertTrue(run.errorLine().contains(":" + givenPort), run.errorLine());
        assertTrue(run.errorLine().contains("::1"), run.errorLine());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-p", "--port", "--broker-port"})
    void eachPortNameSetsThePort(String name) {
        ToolRun run = run("--certs-dir", bundleDir.toString(), name, String.valueOf(givenPort), "--once");

        assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.err());
        assertTrue(run.errorLine().contains("127.0.0.1:" + givenPort), run.errorLine());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-i", "--id", "--device-id"})
    void eachIdNameSetsTheDeviceId(String name) throws Exception {
        ToolRun run = run("--certs-dir", bundleDir.toString(), name, "other-device", "--dry-run");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode payload = new ObjectMapper().readTree(run.outLines().get(0));
        assertEquals("other-device", payload.get("device_id").asText());
    }

    @Test
    void theUrlGivesHostAndPort() {
        ToolRun run = run("--certs-dir", bundleDir.toString(), "-L", "mqtts://[::1]:" + givenPort, "--once");

        assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.err());
        assertTrue(run.errorLine().contains(":" + givenPort) && run.errorLine().contains("::1"), run.errorLine());
    }

    @Test
    void theUrlsTopicIsTheTopicOfTheRun() {
        ToolRun run = run("--certs-dir", bundleDir.toString(), "--url", "mqtts://localhost:" + givenPort + "/device/device-7/vitals",
                "--dry-run", "--count", "1");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("for topic device/device-7/vitals"), run.err());
    }

    @Test
    void aUrlTopicAndATypedTopicContradictEachOther() {
        run("--certs-dir", bundleDir.toString(), "-L", "mqtts://localhost/device/device-7/a", "--topic", "device/device-7/b",
                "--dry-run").assertFailsWithOneLine(ExitCodes.USAGE, "give one of them");
    }

    @Test
    void aFleetTakesItsTopicFromTheUrlToo() {
        run("fleet", "--bundles", bundleDir.toString(), "-L", "mqtts://localhost/device/{device_id}/a",
                "--topic", "device/{device_id}/b").assertFailsWithOneLine(ExitCodes.USAGE, "give one of them");
    }

    @Test
    void aUrlAndAHostContradictEachOther() {
        run("--certs-dir", bundleDir.toString(), "-L", "mqtts://localhost:1", "-h", "localhost", "--once")
                .assertFailsWithOneLine(ExitCodes.USAGE, "both name the broker");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mqtt://localhost:1883|MQTT over TLS only",
        "localhost:8883|not an mqtts:// URL",
        "mqtts://localhost:0|within 1..65535",
        "mqtts://user:secret@localhost|password in the URL is refused"})
    void refusesAUrlItCannotUseWithOneLine(String url, String fragment) {
        run("--certs-dir", bundleDir.toString(), "-L", url, "--once").assertFailsWithOneLine(ExitCodes.USAGE, fragment);
    }

    @Test
    void aUrlGivenAsTheHostIsPointedToDashL() {
        run("--certs-dir", bundleDir.toString(), "--broker-host", "mqtts://localhost:19001", "--once")
                .assertFailsWithOneLine(ExitCodes.USAGE, "give it with -L/--url");
    }

    @Test
    void readsTheUrlsParts() {
        assertEquals(new BrokerUrl("::1", 19001, Optional.of("dev"), Optional.of("device/{device_id}/telemetry")),
                BrokerUrl.parse("mqtts://dev@[::1]:19001/device/{device_id}/telemetry"));
        assertEquals(new BrokerUrl("broker.example", 8883, Optional.empty(), Optional.empty()),
                BrokerUrl.parse("ssl://broker.example/"));
    }

    @Test
    void helpIsOnDashDashHelpForEveryCommandAndNeverOnDashH() {
        for (CommandSpec command : CommandTree.all()) {
            List<String> path = new ArrayList<>(List.of(command.qualifiedName(" ").split(" ")));
            path.remove(0);
            List<String> help = new ArrayList<>(path);
            help.add("--help");
            ToolRun run = run(help.toArray(String[]::new));
            assertEquals(0, run.exitCode(), command.qualifiedName() + ": " + run.err());
            assertTrue(run.out().startsWith("Usage: " + command.qualifiedName()), run.out());
            assertFalse(command.optionsMap().containsKey("-h") && command.findOption("-h").usageHelp(),
                    command.qualifiedName() + " takes -h for help");
            List<String> version = new ArrayList<>(path);
            version.add("-V");
            assertEquals(0, run(version.toArray(String[]::new)).exitCode(), command.qualifiedName() + " -V");
        }
    }

    @Test
    void everyCommandThatConnectsTakesTheSameNames() {
        for (String command : List.of("tesaiot-publish", "tesaiot-publish check", "tesaiot-publish fleet")) {
            CommandSpec spec = CommandTree.all().stream().filter(c -> c.qualifiedName().equals(command)).findFirst().orElseThrow();
            for (String name : List.of("-h", "--host", "-p", "--port", "-u", "-P", "-L", "--url", "--broker-host", "--broker-port")) {
                assertTrue(spec.optionsMap().containsKey(name), command + " lacks " + name);
            }
        }
        CommandSpec create = CommandTree.all().stream().filter(c -> c.qualifiedName().equals("tesaiot-publish bundle create"))
                .findFirst().orElseThrow();
        for (String name : List.of("-h", "--host", "-p", "--port", "-i", "--device-id")) {
            assertTrue(create.optionsMap().containsKey(name), "bundle create lacks " + name);
        }
    }

    @Test
    void aMistypedBrokerOptionGetsTheRightNameSuggested() {
        run("check", "--porr", "8883").assertFailsWithOneLine(ExitCodes.USAGE, "did you mean --port");
    }
}
