package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointsFileTest {
    @TempDir
    Path dir;

    private Optional<Endpoint> read(String json) throws Exception {
        return Optional.of(EndpointsFile.read(new TextFile(new FileOrigin.OnDisk(dir.resolve("endpoints.json")), json)));
    }

    private Failure failure(String json) {
        return assertThrows(Failure.class, () -> read(json));
    }

    @Test
    void readsHostAndMtlsPort() throws Exception {
        assertEquals(Optional.of(new Endpoint("broker.example", 8884)),
                read("{\"mqtt_host\": \"broker.example\", \"mqtt_mtls_port\": 8884, \"api\": \"ignored\"}"));
    }

    @Test
    void readsAPortWrittenAsAString() throws Exception {
        assertEquals(Optional.of(new Endpoint("broker.example", 8884)),
                read("{\"mqtt_host\": \"broker.example\", \"mqtt_mtls_port\": \"8884\"}"));
    }

    @ParameterizedTest
    @CsvSource({
        "mqtts://broker.example:8884, broker.example, 8884",
        "ssl://broker.example, broker.example, 8883",
        "mqtts://broker.example:8884/, broker.example, 8884",
        "mqtts://[::1]:8884, ::1, 8884"})
    void readsTheBrokerUrlShape(String url, String host, int port) throws Exception {
        assertEquals(Optional.of(new Endpoint(host, port)),
                read("{\"mqtt_broker\": \"" + url + "\", \"https_api\": \"https://x\", \"auth_mode\": \"mtls\"}"));
    }

    @Test
    void skipsNestedValuesOfKeysItDoesNotKnow() throws Exception {
        assertEquals(Optional.of(new Endpoint("broker.example", 8884)), read(
                "{\"tls\": {\"ciphers\": [1, {\"mqtt_host\": \"decoy\"}]}, \"mqtt_host\": \"broker.example\","
                        + " \"mqtt_mtls_port\": 8884}"));
    }

    @Test
    void saysWhatItFoundInsteadOfAnObject() {
        assertEquals(dir.resolve("endpoints.json") + " should hold a JSON object, not an array",
                failure("[\"mqtt.example\"]").getMessage());
    }

    @Test
    void pointsAtTheLineAndColumnOfBrokenJson() {
        Failure failure = failure("{\n  \"mqtt_host\": \"a\",\n  \"mqtt_mtls_port\": 88 83\n}");

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertEquals(true, failure.getMessage().contains("endpoints.json is not valid JSON at line 3, column"),
                failure.getMessage());
    }

    @Test
    void refusesAPortOutsideTheValidRange() {
        assertEquals(dir.resolve("endpoints.json") + ": port 70000 is outside 1..65535",
                failure("{\"mqtt_host\": \"a\", \"mqtt_mtls_port\": 70000}").getMessage());
    }

    @Test
    void refusesAPlainTcpBrokerUrl() {
        assertEquals(true, failure("{\"mqtt_broker\": \"mqtt://a:1883\"}").getMessage()
                .contains("is not a TLS address"));
    }

    @Test
    void saysWhatItFoundWhenNoBrokerIsNamed() {
        assertEquals(dir.resolve("endpoints.json") + " names no broker for mutual TLS: found only https_api, api;"
                + " it needs mqtt_host (with mqtt_mtls_port), mqtt_broker (mqtts://host:port) or mqtt.mtls.host (with"
                + " mqtt.mtls.port)", failure("{\"https_api\": \"https://x\", \"api\": {\"rest\": \"https://y\"}}").getMessage());
    }

    /** The platform's download, trimmed of nothing: only mqtt.mtls is read, the TLS-only listener on 8884 ignored. */
    @Test
    void readsTheMutualTlsListenerOfThePlatformsNestedShape() throws Exception {
        assertEquals(Optional.of(new Endpoint("mqtt.example", 8883)), read("""
                {"mqtt": {"tls": {"host": "mqtt.example", "port": 8884, "protocol": "mqtts"},
                          "mtls": {"host": "mqtt.example", "port": 8883, "protocol": "mqtts", "client_cert_required": true},
                          "websocket": {"host": "mqtt.example", "port": 8083, "path": "/mqtt"}},
                 "api": {"rest": {"base_url": "https://api.example"}, "telemetry": {"url": "https://api.example/t"}},
                 "validation": {"ocsp": "http://ocsp.example", "crl": "http://crl.example"},
                 "ingest_base_url": "https://ingest.example", "api_base_url": "https://api.example",
                 "tls": {"require_mtls": true, "alpn": ["mqtt", "http/1.1"]}}"""));
    }

    @Test
    void takesTheDefaultPortWhenTheNestedListenerNamesNone() throws Exception {
        assertEquals(Optional.of(new Endpoint("mqtt.example", 8883)), read("{\"mqtt\": {\"mtls\": {\"host\": \"mqtt.example\"}}}"));
    }

    @Test
    void namesTheTlsOnlyListenerWhenTheNestedShapeHasNoMutualTlsOne() {
        assertEquals(dir.resolve("endpoints.json") + " names no broker for mutual TLS: it has mqtt.tls (mqtt.example:8884,"
                + " TLS without a client certificate) but no mqtt.mtls; it needs mqtt_host (with mqtt_mtls_port),"
                + " mqtt_broker (mqtts://host:port) or mqtt.mtls.host (with mqtt.mtls.port)",
                failure("{\"mqtt\": {\"tls\": {\"host\": \"mqtt.example\", \"port\": 8884}}}").getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"mqtt_broker\": \"mqtts://dev:Pa55w0rd@broker.example:8883\"} | mqtt_broker 'mqtts://dev:***@broker.example:8883' holds a user name and password, which are not read",
            "{\"mqtt_broker\": \"mqtts://dev:Pa55@w0rd@broker.example:8883\"} | mqtt_broker 'mqtts://dev:***@broker.example:8883' is not a URL",
            "{\"mqtt_broker\": \"mqtt://dev:Pa55w0rd@broker.example:1883\"} | mqtt_broker 'mqtt://dev:***@broker.example:1883' is not a TLS address",
            "{\"mqtt_broker\": \"mqtts://dev:Pa55w0rd@bad_host:8883\"} | mqtt_broker 'mqtts://dev:***@bad_host:8883' is not a URL",
            "{\"mqtt_host\": \"dev:Pa55w0rd@broker.example\"} | mqtt_host 'dev:***@broker.example' holds a user name before '@'",
            "{\"mqtt\": {\"tls\": {\"host\": \"dev:Pa55w0rd@broker.example\"}}} | it has mqtt.tls (dev:***@broker.example"})
    void aPasswordInTheBrokersAddressIsRefusedAndNeverShown(String json, String problem) {
        Failure failure = failure(json);

        assertTrue(failure.getMessage().contains(problem), failure.getMessage());
        assertFalse(failure.getMessage().contains("Pa55"), failure.getMessage());
        assertFalse(failure.getMessage().contains("w0rd"), failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqtts://h:8883/mqtt", "mqtts://h:8883?x=1", "wss://h:8084/mqtt"})
    void refusesABrokerUrlThatGoesOnAfterItsPortRatherThanDropTheRest(String url) {
        Failure failure = failure("{\"mqtt_broker\": \"" + url + "\"}");

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertTrue(failure.getMessage().contains("mqtt_broker '" + url + "' "), failure.getMessage());
    }

    @Test
    void refusesAHostThatIsNotAString() {
        assertEquals(dir.resolve("endpoints.json") + ": mqtt.mtls.host should be a host name in quotes, not a number",
                failure("{\"mqtt\": {\"mtls\": {\"host\": 8883}}}").getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"mqtt_host\": 8883} | mqtt_host should be a host name in quotes, not a number",
            "{\"mqtt_host\": {\"name\": \"h\"}} | mqtt_host should be a host name in quotes, not an object",
            "{\"mqtt_broker\": true} | mqtt_broker should be a URL in quotes (mqtts://host:port), not a boolean",
            "{\"mqtt_host\": \"h\", \"mqtt_mtls_port\": [1]} | mqtt_mtls_port should be a port number, not an array",
            "{\"mqtt_host\": \"h\", \"mqtt_mtls_port\": 8883.5} | mqtt_mtls_port should be a whole port number (1..65535), not 8883.5",
            "{\"mqtt_host\": \"not a host\"} | mqtt_host 'not a host' is not a host name or an IP address"})
    void namesAHostOrPortOfTheWrongShapeAsABundleProblem(String json, String problem) {
        Failure failure = failure(json);

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertEquals(dir.resolve("endpoints.json") + ": " + problem + (problem.contains("IP address") ? " (for IPv6, e.g. ::1 or [::1])" : ""),
                failure.getMessage());
    }

    @Test
    void readsAByteOrderMarkAndAnIpv6Broker() throws Exception {
        Path file = Files.writeString(dir.resolve("endpoints.json"), "\uFEFF{\"mqtt_broker\": \"mqtts://[::1]:8884\"}\r\n");
        assertEquals(new Endpoint("::1", 8884), EndpointsFile.read(
                new TextFile(new FileOrigin.OnDisk(file), BundleFiles.readText(file, null))));
        assertEquals(Optional.of(new Endpoint("::1", 8884)), read("{\"mqtt_host\": \"[::1]\", \"mqtt_mtls_port\": 8884}"));
    }
}
