package com.tesaiot.publish.devpki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes what a local broker needs to accept a development bundle: its certificate and key, the CA it checks
 * client certificates against, a {@code mosquitto.conf} ready for {@code mosquitto -c}, and HiveMQ CE's
 * {@code config.xml} with PKCS#12 stores. Paths inside the configurations are absolute, so a broker can be started
 * from any directory.
 */
public final class LocalBrokerWriter {

    /** The files written, for telling the user. */
    public record Written(Path caFile, Path certificateFile, Path keyFile, Path mosquittoConf, Path hivemqConfig) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * As the platform authorises: a device may publish only to its own telemetry topic. Under
     * use_identity_as_username %u is the certificate's CN, so a device that publishes as another is refused.
     */
    static final String MOSQUITTO_ACL = "# Each device (user name = its certificate's CN) may use only its own topic.\n"
            + "pattern readwrite device/%u/telemetry\n";

    private LocalBrokerWriter() {
    }

    /**
     * Writes into {@code dir} (created if needed; files already there are replaced) a broker identity for
     * {@code server}, issued by {@code pki}'s intermediate, listening on {@code port} at {@code listenAddress}
     * (an IP address, or 0.0.0.0 for every interface).
     */
    public static Written write(Path dir, DevelopmentPki pki, IssuedCertificate server, int port, String listenAddress)
            throws IOException {
        Path broker = Files.createDirectories(dir).toAbsolutePath().normalize();
        // The broker trusts the root only; devices send their intermediate along (client_cert.pem holds it), as
        // they must with the platform's broker too.
        Path ca = broker.resolve("ca.pem");
        PemFiles.writeCertificates(ca, pki.root().certificate());
        Path certificate = broker.resolve("server.pem");
        PemFiles.writeCertificates(certificate, server.certificate(), pki.intermediate().certificate());
        Path key = broker.resolve("server.key");
        PemFiles.writePrivateKey(key, server.privateKey(), PrivateKeyFormat.PKCS8, null);
        Path acl = broker.resolve("acl");
        Files.writeString(acl, MOSQUITTO_ACL, StandardCharsets.UTF_8);
        Path mosquitto = broker.resolve("mosquitto.conf");
        Files.writeString(mosquitto, mosquittoConf(port, listenAddress, ca, certificate, key, mosquitto) + "acl_file " + acl
                + "\n", StandardCharsets.UTF_8);

        Path hivemq = Files.createDirectories(broker.resolve("hivemq"));
        // HiveMQ wants the store passwords in config.xml, so they protect nothing the file system does not: a
        // random one per bundle, and the config readable by its owner only.
        char[] password = HexFormat.of().formatHex(randomBytes(12)).toCharArray();
        Path keyStore = hivemq.resolve("server.p12");
        Path trustStore = hivemq.resolve("trust.p12");
        ownerOnly(keyStore);
        Pkcs12Stores.writeKeyStore(keyStore, server, List.of(pki.intermediate().certificate()), password);
        Pkcs12Stores.writeTrustStore(trustStore, List.of(pki.root().certificate()), password);
        Path config = hivemq.resolve("config.xml");
        ownerOnly(config);
        Files.writeString(config, hivemqConfig(port, listenAddress, keyStore.toString(), trustStore.toString(), password), StandardCharsets.UTF_8);
        return new Written(ca, certificate, key, mosquitto, config);
    }

    /** mosquitto 2.0: a TLS listener that requires a client certificate and takes its CN as the user name. */
    static String mosquittoConf(int port, String listenAddress, Path ca, Path certificate, Path key, Path self) {
        return """
                # A local broker for a tesaiot-publish development bundle; for testing only. Start it with:
                #   mosquitto -c %s
                # The paths below are absolute: after moving this folder, run bundle create --force again.

                # Started as root, mosquitto would switch to user "mosquitto", which cannot read the owner-only key
                # below: stay the user who created it. Ignored when not started as root.
                user %s

                # Devices log in with their certificate alone: its CN (the device id) becomes the user name.
                allow_anonymous false

                listener %d %s
                cafile %s
                certfile %s
                keyfile %s
                require_certificate true
                use_identity_as_username true
                """.formatted(self, System.getProperty("user.name"), port, listenAddress, ca, certificate, key);
    }

    /**
     * HiveMQ CE: one TLS listener that requires a client certificate, TLS 1.2 and 1.3, nothing kept on disk, and
     * a client queue large enough that a subscriber falling behind loses nothing (HiveMQ drops past its default
     * 1000 silently). The tests' brokers use this same file.
     */
    public static String hivemqConfig(int port, String bindAddress, String keyStore, String trustStore, char[] password) {
        String secret = new String(password);
        return """
                <?xml version="1.0"?>
                <!-- A local HiveMQ CE broker for a tesaiot-publish development bundle; for testing only.
                     Copy this file to HiveMQ's conf/config.xml. The store paths are absolute. -->
                <hivemq>
                    <listeners>
                        <tls-tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <tls>
                                <keystore>
                                    <path>%s</path>
                                    <password>%s</password>
                                    <private-key-password>%s</private-key-password>
                                </keystore>
                                <truststore>
                                    <path>%s</path>
                                    <password>%s</password>
                                </truststore>
                                <protocols>
                                    <protocol>TLSv1.3</protocol>
                                    <protocol>TLSv1.2</protocol>
                                </protocols>
                                <client-authentication-mode>REQUIRED</client-authentication-mode>
                            </tls>
                        </tls-tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>100000</max-queue-size>
                        </queued-messages>
                    </mqtt>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, xml(bindAddress), xml(keyStore), xml(secret), xml(secret), xml(trustStore), xml(secret));
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Creates {@code file} empty and owner-only before anything secret is written into it. */
    private static void ownerOnly(Path file) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
