package com.tesaiot.publish.testing.brokers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.devpki.PrivateKeyFormat;

/**
 * A JUnit 5 extension: once per test class, a development PKI and the EMQX-shaped broker ({@link EmqxShapedProcess})
 * trusting it, with or without the Community Edition's API-key check. Tests get bundle directories in the original
 * layout and the broker's own record of what it received. Where node or the broker's Node package is missing, the
 * class is disabled with a message that says how to install them (Surefire and Failsafe then count and name the skip).
 *
 * <pre>{@code @RegisterExtension static final EmqxShapedBroker BROKER = EmqxShapedBroker.certificateOnly();}</pre>
 */
public final class EmqxShapedBroker implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean requireApiKey;
    private final Map<String, String> apiKeys = new TreeMap<>();
    private Path dir;
    private DevelopmentPki pki;
    private EmqxShapedProcess process;

    private EmqxShapedBroker(boolean requireApiKey) {
        this.requireApiKey = requireApiKey;
    }

    /** A broker that authenticates by the certificate alone: client id = CN (what EMQX's listener checks). */
    public static EmqxShapedBroker certificateOnly() {
        return new EmqxShapedBroker(false);
    }

    /**
     * A broker that also requires user name = client id and password = the device's API key, as the Community
     * Edition's authentication webhook does; {@link #bundle} then writes the key into {@code api_key.txt}.
     */
    public static EmqxShapedBroker withApiKeys() {
        return new EmqxShapedBroker(true);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return EmqxShapedProcess.unavailable().map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("node and the EMQX-shaped broker are installed"));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("emqx-shaped-e2e");
        pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        IssuedCertificate server = pki.issueServer(List.of("localhost", "127.0.0.1"), KeyType.EC);
        Path serverDir = Files.createDirectories(dir.resolve("broker"));
        // Trusts only the root, as the platform's listener does: clients send their intermediate along.
        EmqxShapedProcess.ServerTls tls = new EmqxShapedProcess.ServerTls(serverDir.resolve("ca.pem"),
                serverDir.resolve("server.pem"), serverDir.resolve("server.key"));
        PemFiles.writeCertificates(tls.caFile(), pki.root().certificate());
        PemFiles.writeCertificates(tls.certificateFile(), server.certificate(), pki.intermediate().certificate());
        PemFiles.writePrivateKey(tls.keyFile(), server.privateKey(), PrivateKeyFormat.PKCS8, null);
        Path apiKeysFile = null;
        if (requireApiKey) {
            apiKeysFile = serverDir.resolve("api-keys.json");
            writeApiKeys(apiKeysFile);
        }
        process = EmqxShapedProcess.start(serverDir, tls, apiKeysFile);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (process != null) {
            process.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private synchronized void writeApiKeys(Path file) throws IOException {
        // Written aside and moved, so that the broker never reads half a file.
        Path next = file.resolveSibling(file.getFileName() + ".next");
        JSON.writeValue(next.toFile(), apiKeys);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The CA that issued the broker's certificate and that the broker trusts for clients. */
    public DevelopmentPki pki() {
        return pki;
    }

    /** The running broker: its port, what it received, stop and kill. */
    public EmqxShapedProcess process() {
        return process;
    }

    /** The port of the broker's mutual-TLS listener. */
    public int port() {
        return process.port();
    }

    /** The API key the broker expects from {@code deviceId} (only meaningful {@link #withApiKeys()}). */
    public String apiKeyOf(String deviceId) {
        return "api-key-of-" + deviceId;
    }

    /**
     * A bundle directory for a device with CN = {@code deviceId}, issued by this broker's CA (EC key in SEC1), for
     * localhost and the broker's port; with the API-key check, its key in {@code api_key.txt}, known to the broker.
     */
    public Path bundle(String deviceId) throws IOException {
        DeviceBundle bundle = DeviceBundle.of(deviceId, pki.issueClient(deviceId, KeyType.EC), pki.caChain(),
                "localhost", process.port());
        if (requireApiKey) {
            bundle = bundle.withApiKey(apiKeyOf(deviceId));
            apiKeys.put(deviceId, apiKeyOf(deviceId));
            writeApiKeys(dir.resolve("broker").resolve("api-keys.json"));
        }
        Path bundleDir = Files.createTempDirectory(dir, deviceId + "-");
        DeviceBundleWriter.write(bundleDir, bundle);
        return bundleDir;
    }

    /**
     * Starts a second client (MQTT.js) with {@code bundleDir}'s identity and client id {@code deviceId}, which takes
     * the session over from any other connection with that id and reconnects soon after losing it, as a second
     * process of the same device would; returns once it holds the session.
     */
    public SameIdClient sameIdClient(Path bundleDir, String deviceId) throws IOException {
        return SameIdClient.start(dir, process.port(), bundleDir, deviceId);
    }
}
