package com.tesaiot.publish.testing.brokers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.devpki.Pkcs12Stores;
import com.tesaiot.publish.devpki.PrivateKeyFormat;

/**
 * A JUnit 5 extension: once per test class, a development PKI and a mosquitto broker with mutual-TLS listeners
 * trusting it ({@code require_certificate}, {@code use_identity_as_username}, an ACL per CN), and a subscriber to
 * every topic. Tests get bundle directories in the platform's layout, what the subscriber received, and the
 * broker's own record of what it received. Where mosquitto is not installed, the class is disabled with a message
 * that says how to install it.
 *
 * <pre>{@code @RegisterExtension static final MosquittoBroker BROKER = new MosquittoBroker();}</pre>
 */
public final class MosquittoBroker implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    private static final String SUBSCRIBER_CN = "mosquitto-test-subscriber";
    private static final char[] STORE_PASSWORD = "subscriber".toCharArray();

    private Path dir;
    private DevelopmentPki pki;
    private MosquittoProcess process;
    private MosquittoSubscriber subscriber;
    private X509Certificate serverCertificate;

    /** Disabled rather than aborted where mosquitto is missing: Surefire then counts and names the skip. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return MosquittoProcess.installed()
                ? ConditionEvaluationResult.enabled("mosquitto is installed")
                : ConditionEvaluationResult.disabled(MosquittoProcess.NOT_INSTALLED);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, GeneralSecurityException, MqttException {
        dir = Files.createTempDirectory("mosquitto-e2e");
        pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        IssuedCertificate server = pki.issueServer(List.of("localhost", "127.0.0.1"), KeyType.EC);
        serverCertificate = server.certificate();
        Path serverDir = Files.createDirectories(dir.resolve("broker"));
        // mosquitto trusts only the root; clients send their intermediate along (client_cert.pem holds it).
        PemFiles.writeCertificates(serverDir.resolve("ca.pem"), pki.root().certificate());
        PemFiles.writeCertificates(serverDir.resolve("server.pem"), server.certificate(), pki.intermediate().certificate());
        PemFiles.writePrivateKey(serverDir.resolve("server.key"), server.privateKey(), PrivateKeyFormat.PKCS8, null);
        process = MosquittoProcess.start(serverDir, new MosquittoProcess.ServerTls(serverDir.resolve("ca.pem"),
                serverDir.resolve("server.pem"), serverDir.resolve("server.key")), SUBSCRIBER_CN);

        IssuedCertificate subscriberIdentity = pki.issueClient(SUBSCRIBER_CN, KeyType.EC);
        SSLSocketFactory subscriberTls = MosquittoSubscriber.socketFactory(
                Pkcs12Stores.keyStore(subscriberIdentity, List.of(pki.intermediate().certificate()), STORE_PASSWORD),
                STORE_PASSWORD, Pkcs12Stores.trustStore(List.of(pki.root().certificate())));
        subscriber = MosquittoSubscriber.subscribe(process.port(), subscriberTls, "#");
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (subscriber != null) {
            subscriber.close();
        }
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

    /** The CA that issued the broker's certificate and that the broker trusts for clients. */
    public DevelopmentPki pki() {
        return pki;
    }

    /** The certificate the broker presents: what the platform's download holds as mqtt-broker.pem. */
    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    /** The running broker: ports and its log. */
    public MosquittoProcess process() {
        return process;
    }

    /**
     * A bundle directory for a device with CN = {@code deviceId}, issued by this broker's CA, key written in
     * {@code format}; {@code endpoints.json} points at the listener that allows TLS 1.2 and 1.3.
     */
    public Path bundle(String deviceId, KeyType keyType, PrivateKeyFormat format, char[] keyPasswordOrNull)
            throws IOException {
        return bundle(DeviceBundle.of(deviceId, pki.issueClient(deviceId, keyType), pki.caChain(), "localhost",
                process.port()).withKeyFormat(format, keyPasswordOrNull));
    }

    /** Writes {@code bundle} into a directory of its own and returns that directory. */
    public Path bundle(DeviceBundle bundle) throws IOException {
        Path bundleDir = Files.createTempDirectory(dir, bundle.deviceId() + "-");
        DeviceBundleWriter.write(bundleDir, bundle);
        return bundleDir;
    }

    /** The subscriber to every topic, subscribed before any test of the class runs. */
    public MosquittoSubscriber subscriber() {
        return subscriber;
    }
}
