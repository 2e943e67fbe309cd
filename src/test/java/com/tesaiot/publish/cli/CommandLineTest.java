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

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it, run in-process with no broker: parsing, precedence, dry runs, errors. */
class CommandLineTest {
    @TempDir
    static Path bundleDir;
    private static int closedPort;

    private final Map<String, String> env = new HashMap<>();

    @BeforeAll
    static void writeBundle() throws Exception {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        // endpoints.json names a port where nothing listens: which port a run tries shows which source won.
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DeviceBundleWriter.write(bundleDir, DeviceBundle.of("device-42", pki.issueClient("device-42", KeyType.EC),
                pki.caChain(), "127.0.0.1", closedPort));
    }

    private ToolRun run(String... args) {
        return ToolRun.run(env, args);
    }

    private static void assertOneErrorLine(ToolRun result, int exitCode, String fragment) {
        result.assertFailsWithOneLine(exitCode, fragment);
    }

    @Test
    void dryRunPrintsOneJsonPayloadPerLineAndNothingElse() throws Exception {
        ToolRun result = run("--certs-dir", bundleDir.toString(), "--dry-run", "--count", "5", "--interval", "2");

        assertEquals(0, result.exitCode());
        assertEquals(5, result.outLines().size());
        Instant previous = null;
        for (String line : result.outLines()) {
            JsonNode payload = new ObjectMapper().readTree(line);
            assertEquals("device-42", payload.get("device_id").asText());
            assertEquals(payload.at("/data/heart_rate").asInt(), payload.at("/data/heart_rate_bpm").asInt());
            Instant stamp = Instant.parse(payload.get("timestamp").asText());
            if (previous != null) {
                assertEquals(Duration.ofSeconds(2), Duration.between(previous, stamp), "stamped at the scheduled times");
            }
            previous = stamp;
        }
        assertTrue(result.err().contains("nothing was sent"));
    }

    @Test
    void dryRunConnectsToNothingAndNeedsNoCertificates() {
        ToolRun result = run("--certs-dir", bundleDir.resolve("absent").toString(), "--device-id", "d", "--dry-run",
                "--broker-host", "host.invalid");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(1, result.outLines().size());
    }

    @Test
    void dryRunIsAlsoTurnedOnByTheOriginalsEnvironmentVariable() {
        env.put("DRY_RUN", "1");
        env.put("DEVICE_ID", "from-env");

        ToolRun result = run("--once");

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("\"device_id\":\"from-env\""));
    }

    @Test
    void dryRunGivenBothByItsVariableAndByItsFlagStaysADryRun() {
        env.put("DRY_RUN", "1");

        ToolRun result = run("--certs-dir", bundleDir.resolve("absent").toString(), "--device-id", "d", "--dry-run",
                "--once", "--broker-host", "host.invalid");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(1, result.outLines().size(), "one payload printed, nothing sent: " + result.err());
        assertTrue(result.err().contains("nothing was sent"), result.err());
    }

    @Test
    void payloadsThatCannotBeWrittenToStandardOutputAreAFailureNotASuccess() {
        PrintWriter full = new PrintWriter(new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        StringWriter err = new StringWriter();

        int code = Main.run(new String[] {"--device-id", "d", "--dry-run", "--count", "3", "--interval", "0"}, Map.of(),
                full, new PrintWriter(err));

        assertEquals(ExitCodes.LOCAL_IO, code, err.toString());
        assertTrue(err.toString().contains("error: standard output could not be written"), err.toString());
    }

    @Test
    void sameSeedGivesTheSameReadings() {
        String[] args = {"--device-id", "d", "--dry-run", "--count", "20", "--interval", "5", "--seed", "7"};
        ToolRun first = run(args);
        ToolRun second = run(args);
        ToolRun otherSeed = run("--device-id", "d", "--dry-run", "--count", "20", "--interval", "5", "--seed", "8");

        assertEquals(0, first.exitCode(), first.err());
        assertEquals(20, first.out().lines().count());
        assertEquals(dataOnly(first.out()), dataOnly(second.out()));
        assertNotEquals(dataOnly(first.out()), dataOnly(otherSeed.out()), "the seed must matter");
    }

    private static String dataOnly(String payloads) {
        return payloads.replaceAll("\"timestamp\":\"[^\"]*\"", "");
    }

    @ParameterizedTest(name = "--period {0} --interval {1} -> {2} messages")
    @CsvSource({"1, 5, 12", "2, 5, 24", "0.5, 7, 4", "1, 0, 12", "0.01, 5, 1", "1, 0.5, 120"})
    void periodSetsTheCountAsTheOriginalDid(String period, String interval, int expected) {
        ToolRun result = run("--device-id", "d", "--dry-run", "--period", period, "--interval", interval);

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(expected, result.outLines().size());
    }

    @Test
    void periodFromTheEnvironmentWorksToo() {
        env.put("PERIOD_MIN", "1");
        env.put("INTERVAL", "10");

        assertEquals(6, run("--device-id", "d", "--dry-run").outLines().size());
    }

    @Test
    void aTypedFlagBeatsACountFromTheEnvironmentAndSaysSo() {
        env.put("COUNT", "5");

        ToolRun result = run("--device-id", "d", "--dry-run", "--period", "1", "--interval", "10");

        assertEquals(0, result.exitCode(), result.err());
        assertEquals(6, result.outLines().size());
        assertTrue(result.err().contains("warning: COUNT=5 from the environment is set aside: --period sets the number"),
                result.err());
    }

    @Test
    void withCountAndPeriodBothInTheEnvironmentThePeriodWinsAsInTheOriginal() {
        env.put("COUNT", "5");
        env.put("PERIOD_MIN", "1");
        env.put("INTERVAL", "30");

        ToolRun result = run("--device-id", "d", "--dry-run");

        assertEquals(2, result.outLines().size());
        assertTrue(result.err().contains("COUNT=5 from the environment is set aside: PERIOD_MIN sets"), result.err());
    }

    @Test
    void aBadValueFromTheEnvironmentIsNamedByItsVariable() {
        env.put("COUNT", "0");

        assertOneErrorLine(run("--device-id", "d", "--dry-run"), 2, "COUNT (environment) must be 1 or more, not 0");
    }

    @Test
    void aDeviceIdGivenThatCannotStandInATopicIsAUsageError() {
        // The user typed it: a usage error (2); the same id in device_id.txt is the bundle's problem (3).
        assertOneErrorLine(run("--certs-dir", bundleDir.toString(), "--device-id", "x+y", "--once"),
                2, "the device id 'x+y' holds the MQTT wildcard '+', which cannot stand in a topic");
    }

    @Test
    void onceSendsExactlyOne() {
        assertEquals(1, run("--device-id", "d", "--dry-run", "--once").outLines().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--count -1                | --count must be 1 or more",
        "--count x                 | Invalid value for option '--count': 'x'",
        "--tls-version tlsv1.1     | 'tlsv1.1' is not a TLS version; use one of tlsv1.2, tlsv1.3",
        "--interval abc            | Invalid value for option '--interval': 'abc' is not a number",
        "--count 2.5               | Invalid value for option '--count': '2.5' is not a whole number",
        "--interval -1             | --interval must be within 0..86400 seconds",
        "--qos 3                   | --qos must be 0, 1 or 2",
        "--broker-port 0           | --broker-port must be within 1..65535",
        "--once --count 3          | --once and --count 3 contradict each other",
        "--count 3 --period 1      | both set the number of messages",
        "--scenario bogus          | bogus",
        "--topic device/+/x        | holds a wildcard",
        "--frobnicate              | Unknown option: '--frobnicate'"})
    void refusesABadValueWithOneLineAndExitCode2(String args, String fragment) {
        ToolRun result = run((String.join(" ", "--device-id d --dry-run", args)).split(" +"));

        assertOneErrorLine(result, 2, fragment);
        assertEquals("", result.out());
    }

    @ParameterizedTest(name = "{0} ''")
    @CsvSource({"--topic", "--broker-host", "--device-id", "--ca-file", "--username", "--certs-dir"})
    void refusesAnEmptyValueInsteadOfFallingBackToTheDefault(String option) {
        ToolRun result = run("--dry-run", "--once", option, "");

        assertOneErrorLine(result, 2, option + " is given an empty value");
        assertEquals("", result.out());
    }

    @Test
    void anEmptyPasswordIsAPassword() {
        ToolRun result = run("--device-id", "d", "--dry-run", "--once", "--password", "");

        assertEquals(0, result.exitCode(), result.err());
    }

    @Test
    void refusesATopicWithAControlCharacterInOneLineThatShowsItsEscape() {
        ToolRun result = run("--device-id", "d", "--dry-run", "--topic", "device/d\ntelemetry");

        assertOneErrorLine(result, 2, "topic 'device/d\\u000Atelemetry' cannot be published to: it holds a control"
                + " character (U+000A)");
    }

    @Test
    void namesTheEnvironmentVariableBehindABadValue() {
        env.put("MQTT_PORT", "eighty");

        assertOneErrorLine(run("--device-id", "d"), 2, "(from environment variable MQTT_PORT)");
    }

    @Test
    void endpointsJsonGivesTheBrokerWhenNothingElseDoes() {
        assertOneErrorLine(run("--certs-dir", bundleDir.toString(), "--once", "--connect-timeout", "2"),
                5, "connection to 127.0.0.1:" + closedPort + " refused");
    }

    @Test
    void environmentBeatsEndpointsJsonAndAFlagBeatsTheEnvironment() throws Exception {
        int otherClosedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            otherClosedPort = s.getLocalPort();
        }
        env.put("MQTT_PORT", String.valueOf(otherClosedPort));
        assertOneErrorLine(run("--certs-dir", bundleDir.toString(), "--once"),
                5, "connection to 127.0.0.1:" + otherClosedPort + " refused");

        assertOneErrorLine(run("--certs-dir", bundleDir.toString(), "--once", "--broker-port", String.valueOf(closedPort)),
                5, "connection to 127.0.0.1:" + closedPort + " refused");
    }

    @Test
    void certsDirFromTheEnvironmentIsUsed() {
        env.put("CERTS_DIR", bundleDir.toString());

        ToolRun result = run("--dry-run");

        assertTrue(result.out().contains("\"device_id\":\"device-42\""), result.err());
    }

    @Test
    void jsonOutputGivesAnObjectEvenWhenTheRunCannotStart() throws Exception {
        ToolRun result = run("--certs-dir", bundleDir.toString(), "--once", "--output", "json");

        assertEquals(5, result.exitCode(), result.err());
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertFalse(json.get("ok").asBoolean());
        assertEquals(5, json.get("exit_code").asInt());
        assertTrue(json.get("error").asText().contains("refused"), result.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--output json --count many | true",
            "--count many --output=jsonl | true",
            "fleet --bundles . --output json --count many | true",
            "--count many | false",
            "--count many --output text | false",
            "check --output json --count many | false"})
    void aCommandLineMistakeUnderJsonOutputStillGivesCiAnObject(String args, boolean json) throws Exception {
        ToolRun result = run(args.split(" "));

        assertEquals(2, result.exitCode(), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
        if (json) {
            JsonNode failure = new ObjectMapper().readTree(result.out());
            assertFalse(failure.get("ok").asBoolean());
            assertEquals(2, failure.get("exit_code").asInt());
            assertTrue(result.err().contains(failure.get("error").asText()), result.out() + " / " + result.err());
        } else {
            assertEquals("", result.out());
        }
    }

    @Test
    void anUnresolvableHostIsUnreachable() {
        assertOneErrorLine(run("--certs-dir", bundleDir.toString(), "--once", "--broker-host", "no-such-host.invalid"),
                5, "cannot resolve host 'no-such-host.invalid'");
    }

    @Test
    void aMissingBundleIsExit3WithTheFixInTheLine() {
        assertOneErrorLine(run("--certs-dir", bundleDir.resolve("absent").toString(), "--once"),
                3, "give --certs-dir or CERTS_DIR");
    }

    @Test
    void aDryRunWhereNoBundleIsNamesTheMissingFolderAndHowToMakeOne() {
        ToolRun result = run("--certs-dir", bundleDir.resolve("absent").toString(), "--dry-run", "--once");

        assertOneErrorLine(result, 3, "credential bundle directory " + bundleDir.resolve("absent") + " not found");
        assertTrue(result.err().contains("'bundle create' makes a bundle"), result.err());
    }

    @Test
    @org.junit.jupiter.api.condition.DisabledOnOs(value = org.junit.jupiter.api.condition.OS.WINDOWS,
            disabledReason = "POSIX file modes")
    void aCertificateGivenAsTheKeyKeepsItsModeAndIsNamedAsNoKey(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path notAKey = java.nio.file.Files.copy(bundleDir.resolve("client_cert.pem"), dir.resolve("cert.pem"));
        java.nio.file.Files.setPosixFilePermissions(notAKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        ToolRun result = run("--certs-dir", bundleDir.toString(), "--client-key", notAKey.toString(), "--once");

        assertOneErrorLine(result, 3, "cert.pem holds a CERTIFICATE, not a private key");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(notAKey)), "a file that holds no key is not chmod-ed");
    }

    @Test
    void verboseAddsTheStackTrace() {
        ToolRun result = run("--certs-dir", bundleDir.resolve("absent").toString(), "--once", "--verbose");

        assertEquals(3, result.exitCode());
        assertTrue(result.err().contains("\tat com.tesaiot.publish"), result.err());
    }

    @Test
    void helpListsEveryFlagOfTheOriginalAndTheExitCodes() {
        ToolRun result = run("--help");

        assertEquals(0, result.exitCode());
        for (String flag : List.of("--certs-dir", "--broker-host", "--broker-port", "--device-id", "--tls-version",
                "--count", "--interval", "--period", "--dry-run", "--once")) {
            assertTrue(result.out().contains(flag), flag);
        }
        assertTrue(result.out().contains("5  broker unreachable"));
    }

    @Test
    void helpGroupsTheOptionsAsAUserThinksOfThemAndBreaksNoWordAtADot() {
        ToolRun result = run("--help");

        for (String heading : List.of("Credentials:", "Broker:", "Schedule:", "Telemetry:", "Delivery:", "Output:")) {
            assertTrue(result.out().contains("\n" + heading + "\n"), heading);
        }
        String list = result.out().substring(result.out().indexOf("\nCredentials:"));
        assertTrue(list.indexOf("--certs-dir") < list.indexOf("--broker-host"));
        assertTrue(list.indexOf("--broker-host") < list.indexOf("--count"));
        // picocli's own layout broke these at their dots ("ca-chain." / "pem").
        for (String name : List.of("ca-chain.pem", "endpoints.json", "client_cert.pem", "device_id.txt")) {
            assertTrue(result.out().contains(name), name);
        }
    }

    @Test
    void aMistypedOptionGetsASuggestionAndItsValueIsNotCalledAnOption() {
        ToolRun result = run("--cout", "3");

        assertOneErrorLine(result, 2, "Unknown option: '--cout': did you mean");
        assertTrue(result.err().contains("--count"), result.err());
        assertFalse(result.err().contains("'3'"), result.err());
    }

    @Test
    void aMistypedCommandGetsASuggestion() {
        ToolRun result = run("chek");

        assertOneErrorLine(result, 2, "Unknown command or argument: 'chek': did you mean check?");
    }

    @Test
    void outputValuesAreNamedAsTheUserTypesThem() {
        ToolRun result = run("--device-id", "d", "--output", "xml");

        assertOneErrorLine(result, 2, "expected one of text, json, jsonl, not 'xml'");
    }

    @Test
    void listsTheScenarios() {
        ToolRun result = run("--list-scenarios");

        assertEquals(0, result.exitCode());
        assertTrue(result.out().contains("fever"));
        assertFalse(result.out().contains("FEVER"));
    }

    @Test
    void aControlCharacterInALoginIsAUsageErrorNamedByWhereItCameFromNeverByItsValue() {
        ToolRun password = ToolRun.run(Map.of("MQTT_PASSWORD", "se\u0001cret-value"), "--certs-dir",
                "certs_credentials.example", "--once");
        password.assertFailsWithOneLine(2, "MQTT_PASSWORD (environment) holds a control character at position 3");
        assertFalse(password.err().contains("cret-value"), "the password is never printed: " + password.err());

        ToolRun userName = ToolRun.run("--certs-dir", "certs_credentials.example", "-u", "dev\nice", "--once");
        userName.assertFailsWithOneLine(2, "--username holds a control character at position 4");
    }
}
