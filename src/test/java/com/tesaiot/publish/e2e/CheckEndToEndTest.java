package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.testing.MutualTlsBroker;
import com.tesaiot.publish.testing.ReceivedPublish;
import com.tesaiot.publish.testing.ToolRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code check} against a broker with the platform's rules (user name = client id = CN, password = API key, an
 * ACL that disconnects on a foreign topic) whose certificate names only "localhost": every step passes for a good
 * bundle, and each fault stops the checklist at the right step with the publisher's exit code and wording.
 */
class CheckEndToEndTest {
    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder()
            .requirePassword(deviceId -> "api-key-of-" + deviceId)
            .disconnectOnTopic(topic -> !topic.matches("device/[^/]+/telemetry"))
            .serverNames(MutualTlsBroker.HOST)
            .build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void forgetEarlierTests() {
        broker.clear();
    }

    /** A checklist line: its mark, step name and detail. */
    record Line(String mark, String step, String detail) {
        static Line parse(String line) {
            String[] parts = line.split(" +", 3);
            return new Line(parts[0], parts[1], parts.length > 2 ? parts[2] : "");
        }
    }

    private static ToolRun check(Path bundle, String... more) {
        List<String> args = new ArrayList<>(List.of("check", "--certs-dir", bundle.toString()));
        args.addAll(List.of(more));
        return ToolRun.run(args.toArray(String[]::new));
    }

    private static List<Line> checklist(ToolRun run) {
        return run.out().lines().filter(l -> l.startsWith("✓ ") || l.startsWith("✗ ") || l.startsWith("! "))
                .map(Line::parse).toList();
    }

    /** Every step up to {@code failedStep} passed, that one failed with {@code fragment}, and nothing ran after it. */
    private static Line assertStopsAt(ToolRun run, int exitCode, String failedStep, String fragment) {
        assertEquals(exitCode, run.exitCode(), run.out() + run.err());
        List<Line> lines = checklist(run);
        Line last = lines.get(lines.size() - 1);
        assertEquals("✗", last.mark(), run.out());
        assertEquals(failedStep, last.step(), run.out());
        assertTrue(last.detail().contains(fragment), "expected '" + fragment + "' in: " + last.detail());
        assertEquals(1, lines.stream().filter(l -> l.mark().equals("✗")).count(), run.out());
        List<String> order = List.of("bundle", "dns", "tcp", "tls", "mqtt", "publish");
        assertEquals(order.subList(0, order.indexOf(failedStep) + 1),
                lines.stream().map(Line::step).distinct().toList(), "steps in order, none after the failed one");
        assertFalse(run.out().contains("\tat ") || run.err().contains("\tat "), "no stack trace");
        assertFalse(run.out().contains("PRIVATE KEY") || run.out().contains("api-key-of-"), "no key material");
        return last;
    }

    @Test
    void passesEveryStepForAGoodBundleAndTheBrokerGetsOneTelemetryMessage() throws Exception {
        Path bundle = broker.writeBundle("device-good");

        ToolRun run = check(bundle, "--publish-test");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        List<Line> lines = checklist(run);
        List<Line> passed = lines.stream().filter(l -> l.mark().equals("✓")).toList();
        assertEquals(List.of("bundle", "dns", "tcp", "tls", "mqtt", "publish"), passed.stream().map(Line::step).toList(),
                run.out());
        assertTrue(lines.stream().noneMatch(l -> l.mark().equals("✗")), run.out());
        // The test PKI lives one day: the only warning is that the server certificate expires soon.
        assertEquals(List.of("tls"), lines.stream().filter(l -> l.mark().equals("!")).map(Line::step).toList(), run.out());
        assertTrue(lines.get(lines.indexOf(passed.get(3)) + 1).detail().startsWith("the server certificate expires on "));
        String tls = passed.get(3).detail();
        assertTrue(tls.startsWith("TLSv1.2 TLS_"), tls);
        assertTrue(tls.contains("server certificate CN=localhost, issued by "
                + broker.pki().intermediate().certificate().getSubjectX500Principal().getName()), tls);
        assertTrue(tls.contains("names localhost"), tls);
        assertTrue(passed.get(4).detail().contains("user name device-good and a password"), passed.get(4).detail());
        assertTrue(run.out().contains("Ready: device-good can publish to localhost:" + broker.port()), run.out());

        ReceivedPublish received = broker.awaitPublishes(1, Duration.ofSeconds(5)).get(0);
        assertEquals("device/device-good/telemetry", received.topic());
        assertEquals(1, received.qos());
        JsonNode payload = JSON.readTree(received.payload());
        assertEquals("device-good", payload.get("device_id").asText());
        assertEquals(13, payload.get("data").size(), received.payloadText());
        assertFalse(run.out().contains("api-key-of-device-good"), "the API key is never printed");
    }

    @Test
    void jsonOutputIsOneObjectWithTheSameStepsAndTheHandshakeFacts() throws Exception {
        Path bundle = broker.writeBundle("device-json");

        // TLS 1.3 here: the check then also waits for the broker's late verdict on our certificate.
        ToolRun run = check(bundle, "--output", "json", "--tls-version", "tlsv1.3");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals(1, run.out().lines().count(), "one JSON object, nothing else on standard output: " + run.out());
        JsonNode result = JSON.readTree(run.out());
        assertTrue(result.get("ok").asBoolean());
        assertEquals(0, result.get("exit_code").asInt());
        List<String> names = new ArrayList<>();
        result.get("steps").forEach(step -> names.add(step.get("name").asText() + ":" + step.get("status").asText()));
        // The test PKI lives one day, hence the warning.
        assertEquals(List.of("bundle:ok", "dns:ok", "tcp:ok", "tls:ok", "tls:warn", "mqtt:ok"), names);
        JsonNode facts = result.get("steps").get(3).get("facts");
        assertEquals("TLSv1.3", facts.get("protocol").asText());
        assertTrue(facts.get("cipher_suite").asText().startsWith("TLS_"), facts.toString());
        assertEquals("CN=localhost", facts.get("server_subject").asText());
        assertEquals("localhost", facts.get("server_names").asText());
    }

    @Test
    void jsonOutputOfAFailureNamesTheStepTheCauseAndTheExitCode() throws Exception {
        Path bundle = broker.writeBundle("device-json-fail");

        ToolRun run = check(bundle, "--output", "json", "--broker-host", "127.0.0.1");

        assertEquals(4, run.exitCode());
        JsonNode result = JSON.readTree(run.out());
        assertFalse(result.get("ok").asBoolean());
        assertEquals(4, result.get("exit_code").asInt());
        JsonNode last = result.get("steps").get(result.get("steps").size() - 1);
        assertEquals("tls", last.get("name").asText());
        assertEquals("fail", last.get("status").asText());
        assertTrue(last.get("detail").asText().contains("is not issued for host '127.0.0.1'"), last.toString());
    }

    @Test
    void aServerCertificateFromAnotherCaFailsTheTlsStepAndShowsItsSubjectAndIssuer() throws Exception {
        Path bundle = broker.writeBundle("device-wrong-ca");
        PemFiles.writeCertificates(bundle.resolve("ca-chain.pem"),
                DevelopmentPki.create(KeyType.EC, Duration.ofDays(1)).caChain());

        ToolRun run = check(bundle, "--publish-test");

        Line tls = assertStopsAt(run, 4, "tls", "is not issued by any CA in ca-chain.pem");
        assertTrue(tls.detail().contains("the server presented CN=localhost, issued by "
                + broker.pki().intermediate().certificate().getSubjectX500Principal().getName()), tls.detail());
        assertTrue(broker.connects().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tlsv1.2", "tlsv1.3"})
    void aClientCertificateTheBrokerDoesNotTrustFailsTheTlsStep(String tlsVersion) throws Exception {
        DevelopmentPki otherCa = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        Path bundle = broker.writeBundle(DeviceBundle.of("device-untrusted",
                otherCa.issueClient("device-untrusted", KeyType.EC), broker.pki().caChain(), MutualTlsBroker.HOST,
                broker.port()).withApiKey(broker.apiKeyOf("device-untrusted")));

        ToolRun run = check(bundle, "--tls-version", tlsVersion);

        // A handshake alert or a closed connection, varying from run to run: both name our certificate.
        assertStopsAt(run, 4, "tls", "rejected our client certificate");
        assertTrue(broker.connects().isEmpty());
    }

    @Test
    void aHostNameTheServerCertificateDoesNotHoldFailsTheTlsStepAndListsItsNames() throws Exception {
        Path bundle = broker.writeBundle("device-host");

        ToolRun run = check(bundle, "--broker-host", "127.0.0.1");

        Line tls = assertStopsAt(run, 4, "tls", "is not issued for host '127.0.0.1'");
        assertTrue(tls.detail().endsWith("names localhost"), tls.detail());
    }

    @Test
    void aPortWhereNothingListensFailsTheTcpStep() throws Exception {
        Path bundle = broker.writeBundle("device-port");

        ToolRun run = check(bundle, "--broker-port", String.valueOf(closedPort()));

        assertStopsAt(run, 5, "tcp", "refused: no broker listens there");
    }

    @Test
    void aHostThatDoesNotResolveFailsTheDnsStep() throws Exception {
        Path bundle = broker.writeBundle("device-dns");

        ToolRun run = check(bundle, "--broker-host", "no-such-broker.invalid");

        assertStopsAt(run, 5, "dns", "cannot resolve host 'no-such-broker.invalid'");
    }

    @Test
    void aMissingApiKeyFailsTheMqttStepAndSaysWhatThePlatformWants() throws Exception {
        Path bundle = broker.writeBundle("device-no-key");
        Files.delete(bundle.resolve("api_key.txt"));

        ToolRun run = check(bundle, "--publish-test");

        Line mqtt = assertStopsAt(run, 4, "mqtt", "refused the user name or password (CONNACK 4)");
        assertTrue(mqtt.detail().contains("the bundle has no api_key.txt"), mqtt.detail());
        assertTrue(broker.publishes().isEmpty());
    }

    @Test
    void aTopicTheBrokersAclDeniesFailsThePublishStep() throws Exception {
        Path bundle = broker.writeBundle("device-acl");

        ToolRun run = check(bundle, "--publish-test", "--topic", "device/someone-else/commands");

        assertStopsAt(run, 1, "publish", "closed the connection right after our first PUBLISH to"
                + " 'device/someone-else/commands': its ACL probably denies that topic to device-acl");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateFailsTheBundleStepBeforeAnyNetwork() throws Exception {
        Path bundle = broker.writeBundle("device-mismatch");
        Path other = broker.writeBundle("device-mismatch");
        Files.copy(other.resolve("client_key.pem"), bundle.resolve("client_key.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        ToolRun run = check(bundle);

        assertStopsAt(run, 3, "bundle", "client_key.pem does not match client_cert.pem (different public keys)");
    }

    @Test
    void preflightWarningsAreLinesOfTheirOwnAndTheCheckGoesOn() throws Exception {
        Path bundle = broker.writeBundle(DeviceBundle.of("device-warn", broker.pki().issueClient("someone-else", KeyType.EC),
                broker.pki().caChain(), MutualTlsBroker.HOST, broker.port()).withApiKey(broker.apiKeyOf("device-warn")));
        Path key = bundle.resolve("client_key.pem");
        assumeTrue(key.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        ToolRun run = check(bundle);

        // The broker refuses a client id that is not the certificate's CN (CONNACK 5), after the warnings.
        assertStopsAt(run, 4, "mqtt", "refused to authorise client id 'device-warn' (CONNACK 5)");
        List<String> warnings = checklist(run).stream().filter(l -> l.mark().equals("!") && l.step().equals("bundle"))
                .map(Line::detail).toList();
        assertEquals(2, warnings.size(), run.out());
        assertTrue(warnings.get(0).contains("was readable by others (rw-r--r--): changed to rw-------"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("the client certificate's CN is 'someone-else' but the device id is"
                + " 'device-warn'"), warnings.get(1));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void rejectsAnUnknownOutputFormatAsAUsageError() throws Exception {
        ToolRun run = check(broker.writeBundle("device-usage"), "--output", "yaml");

        run.assertFailsWithOneLine(2, "--output must be text or json, not 'yaml'");
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
