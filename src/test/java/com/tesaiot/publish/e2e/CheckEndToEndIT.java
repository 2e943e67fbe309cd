package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.ReceivedPublish;
import com.tesaiot.publish.testing.bundles.PlatformDownload;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code check} against a broker with the platform's rules (user name = client id = CN, password = API key, an
 * ACL that disconnects on a foreign topic) whose certificate names only "localhost": every step passes for a good
 * bundle, and each fault stops the checklist at the right step with the publisher's exit code and wording.
 */
class CheckEndToEndIT {
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
    void aServerThatAcceptsTcpAndNeverAnswersFailsTheTlsStepWithinTheConnectTimeout() throws Exception {
        Path bundle = broker.writeBundle("device-silent");
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            long start = System.nanoTime();

            ToolRun run = check(bundle, "--broker-host", "127.0.0.1", "--broker-port",
                    String.valueOf(silent.getLocalPort()), "--connect-timeout", "2");

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertStopsAt(run, 5, "tls", "no answer from 127.0.0.1:" + silent.getLocalPort() + " within 2 s");
            // It used to wait the timeout twice: once for the handshake, once more to look at a certificate that a
            // silent server never sends. The margin is for a loaded machine, not for a second wait.
            assertTrue(took.compareTo(Duration.ofMillis(3_800)) < 0, "took " + took.toMillis() + " ms");
        }
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

        assertStopsAt(run, 1, "publish", "closed the connection right after our PUBLISH to 'device/someone-else/commands',"
                + " every time and before acknowledging any: its ACL probably denies that topic to device-acl");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateFailsTheBundleStepBeforeAnyNetwork() throws Exception {
        Path bundle = broker.writeBundle("device-mismatch");
        Path other = broker.writeBundle("device-mismatch");
        Files.copy(other.resolve("client_key.pem"), bundle.resolve("client_key.pem"), StandardCopyOption.REPLACE_EXISTING);

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

        run.assertFailsWithOneLine(2, "Invalid value for option '--output': expected one of text, json, jsonl, not 'yaml'");
    }

    /**
     * The README's troubleshooting table, checked against the tool: each fault is caused for real, and both a publish
     * run and {@code check} must print the message of a row that describes it, with that row's exit code. Every row
     * must belong to a fault here, so a row cannot drift from the tool unnoticed.
     */
    @Nested
    class TroubleshootingTableTest {
        /** The embedded broker speaks TLS 1.2 and 1.3: a listener that speaks TLS 1.3 only stands in for one that does not. */
        private Tls13OnlyListener tls13Only;

        @BeforeEach
        void startTls13OnlyListener() throws Exception {
            tls13Only = Tls13OnlyListener.start(broker.pki());
        }

        @AfterEach
        void stopTls13OnlyListener() throws Exception {
            tls13Only.close();
        }

        /** A row: its message ("…" any text, "host:port" the broker's address) and exit code. */
        record Row(String message, int exitCode) {
            private static final Pattern ROW = Pattern.compile("^\\| `error: (.*)` \\((\\d+)\\) \\|", Pattern.MULTILINE);

            static List<Row> fromReadme() throws Exception {
                String readme = Files.readString(Path.of("README.md"));
                int start = readme.indexOf("\n## Troubleshooting");
                int end = readme.indexOf("\n## ", start + 1);
                Matcher m = ROW.matcher(readme.substring(start, end < 0 ? readme.length() : end));
                List<Row> rows = new ArrayList<>();
                while (m.find()) {
                    rows.add(new Row(m.group(1), Integer.parseInt(m.group(2))));
                }
                return rows;
            }

            /**
             * Whether {@code actual} is this row's message: its fixed parts, in order, the first at the start. The spaces
             * around an ellipsis are the table's, not the message's ("refused …" stands for "refused: no broker…").
             */
            boolean describes(String actual, String endpoint) {
                String[] parts = Arrays.stream(message.replace("host:port", endpoint).split("…", -1))
                        .map(String::strip).toArray(String[]::new);
                if (!actual.startsWith(parts[0])) {
                    return false;
                }
                int at = parts[0].length();
                for (int i = 1; i < parts.length; i++) {
                    at = actual.indexOf(parts[i], at);
                    if (at < 0) {
                        return false;
                    }
                    at += parts[i].length();
                }
                return true;
            }
        }

        /** A fault caused in a bundle (and flags); the rows that may describe it, by a part unique to each. */
        record Fault(String name, List<String> rows, Path bundle, String endpoint, List<String> flags, Map<String, String> env) {
            Fault(String name, List<String> rows, Path bundle, List<String> flags) {
                this(name, rows, bundle, "localhost:" + broker.port(), flags, Map.of());
            }

            Fault at(String otherEndpoint) {
                return new Fault(name, rows, bundle, otherEndpoint, flags, env);
            }
        }

        private List<Fault> faults() throws Exception {
            List<Fault> faults = new ArrayList<>();
            Path good = broker.writeBundle("device-t0");
            faults.add(new Fault("no bundle directory", List.of("credential bundle directory"), good.resolve("nowhere"), List.of()));

            Path noKey = broker.writeBundle("device-t1");
            Files.delete(noKey.resolve("client_key.pem"));
            faults.add(new Fault("no key file", List.of("/client_key.pem not found"), noKey, List.of()));

            Path csr = PlatformDownload.of(broker.bundleFor("device-t9", KeyType.EC), broker.serverCertificate())
                    .withoutKey().writeZip(good.resolveSibling("device-t9-mqtts-mtls-bundle.zip"), "");
            faults.add(new Fault("CSR download without key", List.of("has no private key"), csr, List.of()));

            Path tlsOnly = broker.writeBundle("device-t10");
            Files.writeString(tlsOnly.resolve("endpoints.json"), "{\"mqtt\": {\"tls\": {\"host\": \"localhost\", \"port\": 8884}}}");
            faults.add(new Fault("endpoints.json without mutual-TLS listener", List.of("names no broker for mutual TLS"),
                    tlsOnly, List.of()));

            Path mismatch = broker.writeBundle("device-t2");
            Files.copy(broker.writeBundle("device-t2").resolve("client_key.pem"), mismatch.resolve("client_key.pem"),
                    StandardCopyOption.REPLACE_EXISTING);
            faults.add(new Fault("key of another certificate", List.of("does not match client_cert.pem"), mismatch, List.of()));

            Path encrypted = broker.writeBundle("device-t3", KeyType.EC, PrivateKeyFormat.ENCRYPTED_PKCS8, "pw".toCharArray(),
                    broker.apiKeyOf("device-t3"));
            faults.add(new Fault("encrypted key, no password", List.of("is encrypted: give its password"), encrypted, List.of()));

            Instant now = Instant.now();
            Path expired = broker.writeBundle(DeviceBundle.of("device-t4", broker.pki().issueClient("device-t4", KeyType.EC,
                    now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))), broker.pki().caChain(), MutualTlsBroker.HOST,
                    broker.port()));
            faults.add(new Fault("expired client certificate", List.of("client_cert.pem expired"), expired, List.of()));

            faults.add(new Fault("unknown host", List.of("cannot resolve host"), good, List.of("--broker-host", "no-such-broker.invalid")));
            int closed = closedPort();
            faults.add(new Fault("nothing listens", List.of("refused …"), good, List.of("--broker-port", String.valueOf(closed)))
                    .at("localhost:" + closed));

            Path wrongCa = broker.writeBundle("device-t5");
            PemFiles.writeCertificates(wrongCa.resolve("ca-chain.pem"), DevelopmentPki.create(KeyType.EC, Duration.ofDays(1)).caChain());
            faults.add(new Fault("server from another CA", List.of("not issued by any CA"), wrongCa, List.of()));

            faults.add(new Fault("host name not in the certificate", List.of("is not issued for host"), good,
                    List.of("--broker-host", "127.0.0.1")).at("127.0.0.1:" + broker.port()));

            DevelopmentPki otherCa = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
            Path untrusted = broker.writeBundle(DeviceBundle.of("device-t6", otherCa.issueClient("device-t6", KeyType.EC),
                    broker.pki().caChain(), MutualTlsBroker.HOST, broker.port()).withApiKey(broker.apiKeyOf("device-t6")));
            for (String version : List.of("tlsv1.2", "tlsv1.3")) {
                faults.add(new Fault("client certificate from another CA, " + version,
                        List.of("rejected our client certificate during the TLS handshake", "closed the connection during TLS set-up"),
                        untrusted, List.of("--tls-version", version)));
            }

            Path noApiKey = broker.writeBundle("device-t7");
            Files.delete(noApiKey.resolve("api_key.txt"));
            faults.add(new Fault("no API key", List.of("(CONNACK 4)"), noApiKey, List.of()));

            Path notItsCn = broker.writeBundle(DeviceBundle.of("device-t8", broker.pki().issueClient("someone-else", KeyType.EC),
                    broker.pki().caChain(), MutualTlsBroker.HOST, broker.port()).withApiKey(broker.apiKeyOf("device-t8")));
            faults.add(new Fault("client id not the certificate's CN", List.of("(CONNACK 5)"), notItsCn, List.of()));

            faults.add(new Fault("topic the ACL denies", List.of("right after our PUBLISH"), good,
                    List.of("--topic", "device/someone-else/commands")));

            faults.add(new Fault("broker without our TLS version", List.of("does not accept this TLS version"), good,
                    List.of("--broker-port", String.valueOf(tls13Only.port()), "--tls-version", "tlsv1.2"))
                    .at("localhost:" + tls13Only.port()));
            return faults;
        }

        @Test
        void everyFaultIsWordedAsItsRowSaysByBothAPublishRunAndCheck() throws Exception {
            List<Row> rows = Row.fromReadme();
            List<Executable> checks = new ArrayList<>();
            for (Fault fault : faults()) {
                List<Row> candidates = rows.stream()
                        .filter(row -> fault.rows().stream().anyMatch(row.message()::contains)).toList();
                List<String> publish = new ArrayList<>(List.of("--certs-dir", fault.bundle().toString(), "--once"));
                publish.addAll(fault.flags());
                ToolRun published = ToolRun.run(fault.env(), publish.toArray(String[]::new));
                List<String> check = new ArrayList<>(List.of("check", "--certs-dir", fault.bundle().toString(), "--publish-test"));
                check.addAll(fault.flags());
                ToolRun checked = ToolRun.run(fault.env(), check.toArray(String[]::new));

                String publishMessage = published.err().lines().filter(l -> l.startsWith("error: "))
                        .map(l -> l.substring("error: ".length())).reduce((a, b) -> a + "\n" + b).orElse("(no error line)");
                String checkMessage = checklist(checked).stream().filter(l -> l.mark().equals("✗")).map(Line::detail)
                        .findFirst().orElse("(no ✗ line)");
                checks.add(() -> {
                    assertFalse(candidates.isEmpty(), "README's troubleshooting table has no row for: " + fault.name());
                    assertTrue(candidates.stream().anyMatch(r -> r.describes(publishMessage, fault.endpoint())
                                    && r.exitCode() == published.exitCode()),
                            fault.name() + ": publish run printed '" + publishMessage + "' (exit " + published.exitCode()
                                    + "); README rows: " + candidates);
                    assertTrue(candidates.stream().anyMatch(r -> r.describes(checkMessage, fault.endpoint())
                                    && r.exitCode() == checked.exitCode()),
                            fault.name() + ": check printed '" + checkMessage + "' (exit " + checked.exitCode()
                                    + "); README rows: " + candidates);
                    assertFalse((published.err() + checked.out() + checked.err()).contains("\tat "), "no stack trace");
                });
            }
            assertAll(checks);
        }

        @Test
        void everyRowOfTheTableBelongsToAFaultCheckedHere() throws Exception {
            List<Row> rows = Row.fromReadme();
            List<Fault> faults = faults();
            assertTrue(rows.size() >= 10, "the table was not found in README.md: " + rows);
            for (Row row : rows) {
                assertTrue(faults.stream().anyMatch(f -> f.rows().stream().anyMatch(row.message()::contains)),
                        "README row '" + row.message() + "' is checked by no fault here: add one");
            }
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
