package com.tesaiot.publish.app;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.BundleLayout;
import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.bundle.PemFile;
import com.tesaiot.publish.mqtt.ConnectionSettings;
import com.tesaiot.publish.mqtt.ProbeFailures;
import com.tesaiot.publish.report.CheckReport;
import com.tesaiot.publish.tls.PemReader;
import com.tesaiot.publish.tls.ServerCertificate;
import com.tesaiot.publish.tls.TlsProbe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code check}'s network steps below MQTT, each reported as it ends: the broker's name looked up, a TCP connection,
 * and a TLS handshake with our client certificate, with the facts about the server that a fix needs.
 */
final class NetworkCheck {
    /** A server certificate closer than this to its end is worth a warning: renewals get forgotten. */
    private static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private final CheckReport report;
    private final Clock clock;

    NetworkCheck(CheckReport report, Clock clock) {
        this.report = report;
        this.clock = clock;
    }

    InetAddress dns(Endpoint endpoint, ConnectionSettings settings) throws Failure {
        List<InetAddress> addresses;
        try {
            addresses = TlsProbe.resolve(endpoint.host());
        } catch (IOException e) {
            throw ProbeFailures.explain(e, settings);
        }
        String all = addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
        report.passed("dns", all.equals(endpoint.host()) ? endpoint.host() + " is an address: nothing to look up"
                : endpoint.host() + " resolves to " + all);
        // Paho, like the JDK, connects to the first address only.
        return addresses.get(0);
    }

    Socket tcp(InetAddress address, Endpoint endpoint, ConnectionSettings settings) throws Failure {
        long start = System.nanoTime();
        try {
            Socket socket = TlsProbe.connect(address, endpoint.port(), settings.connectTimeout());
            report.passed("tcp", "connected to " + address.getHostAddress() + " port " + endpoint.port() + " in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
            return socket;
        } catch (IOException e) {
            throw ProbeFailures.explain(e, settings);
        }
    }

    void tls(Socket tcp, InetAddress address, PreparedConnection connection, ConnectionSettings settings)
            throws Failure {
        Endpoint endpoint = connection.endpoint();
        TlsProbe.Handshake handshake;
        long start = System.nanoTime();
        try {
            handshake = TlsProbe.handshake(tcp, settings.socketFactory(), endpoint.host(), endpoint.port(),
                    settings.verifyHostName(), settings.connectTimeout());
        } catch (IOException e) {
            Failure explained = ProbeFailures.explain(e, settings);
            // A server that did not answer has no certificate to show; one that did has, and within what is left of
            // the step's timeout: the step as a whole keeps to --connect-timeout.
            Duration left = settings.connectTimeout().minusNanos(System.nanoTime() - start);
            if (e instanceof SocketTimeoutException || left.isNegative() || left.isZero()) {
                throw explained;
            }
            // Which server answered, who issued its certificate and for which names: the facts the fix needs.
            Optional<String> presented = TlsProbe.observeServerChain(address, endpoint.host(), endpoint.port(),
                    connection.tls().version(), left)
                    .map(chain -> "; the server presented " + ServerCertificate.of(chain.get(0)).describe()
                            + expectedBroker(connection).map(expected -> chain.get(0).equals(expected)
                                    ? ", the certificate " + BundleLayout.BROKER_CERT + " names"
                                    : ", not the certificate " + BundleLayout.BROKER_CERT + " names").orElse(""));
            throw presented.map(explained::withDetail).orElse(explained);
        }
        ServerCertificate server = handshake.serverCertificate();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("protocol", handshake.protocol());
        facts.put("cipher_suite", handshake.cipherSuite());
        facts.put("server_subject", server.subject());
        facts.put("server_issuer", server.issuer());
        facts.put("server_not_after", server.notAfter().toString());
        facts.put("server_names", String.join(", ", server.names()));
        List<String> warnings = new ArrayList<>();
        String bundlesBroker = compareWithBundlesBroker(connection, handshake.serverChain().get(0), facts, warnings);
        report.passed("tls", handshake.protocol() + " " + handshake.cipherSuite() + "; server certificate "
                + server.describe() + (handshake.clientCertificateSent() ? "; our client certificate accepted"
                        : "; the broker asked for no client certificate") + bundlesBroker, facts);
        warnings.forEach(warning -> report.warned("tls", warning));
        Instant now = clock.instant();
        if (server.notAfter().isBefore(now.plus(EXPIRY_WARNING))) {
            report.warned("tls", "the server certificate expires on " + server.notAfter() + ", in "
                    + Duration.between(now, server.notAfter()).toDays() + " day(s)");
        }
    }

    /**
     * Whether the broker presented the certificate of the bundle's mqtt-broker.pem, when the bundle has one: a
     * different one means a DNS entry, a proxy or the broker host given points at another server, even when that
     * server's certificate chains to the same CA. Recorded in {@code facts}; a clause for the tls line, or "".
     */
    private String compareWithBundlesBroker(PreparedConnection connection, X509Certificate presented,
            Map<String, String> facts, List<String> warnings) {
        Optional<PemFile> file = connection.bundle().brokerCertificate();
        if (file.isEmpty()) {
            return "";
        }
        Optional<X509Certificate> expected = expectedBroker(connection);
        if (expected.isEmpty()) {
            warnings.add(file.get() + " holds no readable certificate: cannot tell whether this is the platform's broker");
            return "";
        }
        boolean same = expected.get().equals(presented);
        facts.put("server_is_bundle_broker", Boolean.toString(same));
        if (!same) {
            warnings.add("the broker presented " + ServerCertificate.of(presented).subject() + ", not the certificate "
                    + file.get().name() + " names (" + ServerCertificate.of(expected.get()).subject()
                    + "): does a DNS entry, a proxy or the broker host given point at another server?");
            return "";
        }
        return "; it is the broker certificate " + file.get().name() + " names";
    }

    /** The certificate of the bundle's mqtt-broker.pem, when it has one that can be read. */
    private static Optional<X509Certificate> expectedBroker(PreparedConnection connection) {
        if (connection.bundle().brokerCertificate().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PemReader.certificates(connection.bundle().brokerCertificate().get()).get(0));
        } catch (Failure f) {
            return Optional.empty();
        }
    }

}
