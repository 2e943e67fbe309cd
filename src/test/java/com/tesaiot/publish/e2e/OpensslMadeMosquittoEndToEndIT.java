package com.tesaiot.publish.e2e;

import com.tesaiot.publish.testing.tool.ToolRun;
import static com.tesaiot.publish.testing.tool.ToolRun.run;
import static com.tesaiot.publish.e2e.DeliveredTelemetry.assertDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.tesaiot.publish.testing.brokers.MosquittoProcess;
import com.tesaiot.publish.testing.brokers.MosquittoSubscriber;

/**
 * A broker and bundles the tool never saw, made with the openssl CLI the way a platform operator or a device
 * maker would: a root CA, a server certificate with SAN localhost and 127.0.0.1, an EC device key from
 * {@code openssl ecparam -genkey -noout} (SEC1) and an RSA one from {@code openssl genrsa}, the bundle files
 * written by hand with the second {@code endpoints.json} shape. Nothing here comes from the project's own PKI
 * code. Disabled, with the reason, where openssl or mosquitto is missing.
 */
@EnabledIf(value = "opensslAndMosquittoInstalled", disabledReason = "needs the openssl and mosquitto commands;"
        + " install them with `apt-get install openssl mosquitto`")
class OpensslMadeMosquittoEndToEndIT {

    private static final String SUBSCRIBER_CN = "openssl-test-subscriber";
    private static final String STORE_PASSWORD = "subscriber";

    @TempDir
    static Path dir;

    static MosquittoProcess broker;
    static MosquittoSubscriber subscriber;

    @BeforeAll
    static void makeThePkiWithOpensslAndStartMosquitto() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-sha256", "-subj", "/CN=Openssl Test Root CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "server.key");
        issue("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");

        openssl("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "subscriber.key");
        issue("subscriber", SUBSCRIBER_CN, "extendedKeyUsage=clientAuth\n");
        openssl("pkcs12", "-export", "-in", "subscriber.pem", "-inkey", "subscriber.key",
                "-passout", "pass:" + STORE_PASSWORD, "-out", "subscriber.p12");

        broker = MosquittoProcess.start(dir, new MosquittoProcess.ServerTls(dir.resolve("ca.pem"),
                dir.resolve("server.pem"), dir.resolve("server.key")), SUBSCRIBER_CN);
        subscriber = MosquittoSubscriber.subscribe(broker.port(), MosquittoSubscriber.socketFactory(
                pkcs12(dir.resolve("subscriber.p12")), STORE_PASSWORD.toCharArray(), trustStore(dir.resolve("ca.pem"))), "#");
    }

    @AfterAll
    static void stop() {
        if (subscriber != null) {
            subscriber.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "{0} device key over {1}")
    @CsvSource({"ec, tlsv1.2", "ec, tlsv1.3", "rsa, tlsv1.2", "rsa, tlsv1.3"})
    void publishesTenAcknowledgedMessagesWithAnOpensslMadeBundleToAnOpensslMadeBroker(String keyKind, String tlsVersion)
            throws Exception {
        String deviceId = "openssl-" + keyKind + "-" + tlsVersion.replace(".", "");
        if (keyKind.equals("ec")) {
            // What devices do: SEC1 "BEGIN EC PRIVATE KEY", no parameters block.
            openssl("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", deviceId + ".key");
        } else {
            // PKCS#8 with openssl 3, PKCS#1 ("BEGIN RSA PRIVATE KEY") with 1.1: either must work.
            openssl("genrsa", "-out", deviceId + ".key", "2048");
        }
        issue(deviceId, deviceId, "extendedKeyUsage=clientAuth\n");

        Path bundle = Files.createDirectories(dir.resolve("bundle-" + deviceId));
        Files.writeString(bundle.resolve("device_id.txt"), deviceId + "\n", StandardCharsets.UTF_8);
        Files.copy(dir.resolve(deviceId + ".pem"), bundle.resolve("client_cert.pem"));
        Files.copy(dir.resolve(deviceId + ".key"), bundle.resolve("client_key.pem"));
        Files.copy(dir.resolve("ca.pem"), bundle.resolve("ca-chain.pem"));
        Files.writeString(bundle.resolve("endpoints.json"), """
                {"mqtt_broker": "mqtts://localhost:%d", "https_api": "https://localhost/api", "auth_mode": "mtls"}
                """.formatted(broker.port()), StandardCharsets.UTF_8);

        ToolRun run = run(Map.of(), "--certs-dir", bundle.toString(), "--tls-version", tlsVersion,
                "--count", "10", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("Sent 10/10, acknowledged 10, failed 0"), run.err());
        assertDelivered(broker, subscriber, deviceId, 10);
    }

    /** Signs {@code name}.key's CSR with the root CA into {@code name}.pem, with CN and extensions given. */
    private static void issue(String name, String commonName, String extensions) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
        openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + commonName, "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-sha256", "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + output);
        }
    }

    static boolean opensslAndMosquittoInstalled() {
        return MosquittoProcess.installed() && opensslInstalled();
    }

    private static boolean opensslInstalled() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static KeyStore pkcs12(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        return store;
    }

    private static KeyStore trustStore(Path caFile) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        return store;
    }
}
