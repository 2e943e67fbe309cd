package com.tesaiot.publish.tls;


import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The way to a broker below MQTT, one step at a time, so that a failure can be pinned to its step: name lookup,
 * TCP connect, and the TLS handshake with the very socket factory the publisher uses. Failures are thrown as the
 * JDK reports them: the mqtt package words them, as it does for a failed CONNECT.
 */
public final class TlsProbe {
    /**
     * With TLS 1.3 the broker checks our certificate after the client has finished its handshake, and a rejection
     * arrives as an alert after it: this long we wait for one. A broker that accepts us sends nothing until CONNECT.
     */
    static final Duration TLS13_VERDICT_WAIT = Duration.ofSeconds(1);

    private TlsProbe() {
    }

    /**
     * What a successful handshake agreed on, the chain the server presented (leaf first), and whether the server
     * asked for our certificate (a broker that does not will not tell devices apart by it).
     */
    public record Handshake(String protocol, String cipherSuite, List<X509Certificate> serverChain,
            boolean clientCertificateSent) {
        public ServerCertificate serverCertificate() {
            return ServerCertificate.of(serverChain.get(0));
        }
    }

    /** Every address of {@code host}, in the order the JDK (and so Paho, which takes the first) uses them. */
    public static List<InetAddress> resolve(String host) throws UnknownHostException {
        return Arrays.asList(InetAddress.getAllByName(host));
    }

    /**
     * A TCP connection to {@code address}, as the publisher opens it (counting what it reads, so that a port that
     * answers no TLS is told apart): the caller closes it.
     */
    public static Socket connect(InetAddress address, int port, Duration timeout) throws IOException {
        Socket socket = new CountingSocket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Runs the TLS handshake over {@code tcp} with {@code sockets} (the bundle's mutual-TLS factory) and closes the
     * connection afterwards. The host name is checked as Paho checks it (HTTPS endpoint identification) when
     * {@code verifyHostName}. With TLS 1.3 it also waits up to {@link #TLS13_VERDICT_WAIT} for the broker to
     * reject our certificate, so that a rejection is found here and not at CONNECT.
     */
    public static Handshake handshake(Socket tcp, SSLSocketFactory sockets, String host, int port, boolean verifyHostName,
            Duration timeout) throws IOException {
        try (SSLSocket tls = (SSLSocket) sockets.createSocket(tcp, host, port, true)) {
            if (verifyHostName) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
            }
            tls.setSoTimeout((int) timeout.toMillis());
            try {
                tls.startHandshake();
            } catch (IOException e) {
                throw tcp instanceof CountingSocket plain ? NoTlsAnswerException.ifNothingRead(plain, e) : e;
            }
            List<X509Certificate> chain = Arrays.stream(tls.getSession().getPeerCertificates())
                    .map(X509Certificate.class::cast)
                    .toList();
            Handshake handshake = new Handshake(tls.getSession().getProtocol(), tls.getSession().getCipherSuite(), chain,
                    tls.getSession().getLocalCertificates() != null);
            if ("TLSv1.3".equals(handshake.protocol())) {
                awaitVerdictOnOurCertificate(tls);
            }
            return handshake;
        } finally {
            tcp.close();
        }
    }

    private static void awaitVerdictOnOurCertificate(SSLSocket tls) throws IOException {
        tls.setSoTimeout((int) TLS13_VERDICT_WAIT.toMillis());
        try {
            if (tls.getInputStream().read() < 0) {
                throw new SSLException("the connection was closed right after the TLS 1.3 handshake, before CONNECT");
            }
        } catch (SocketTimeoutException e) {
            // Silence: the broker accepted our certificate and now waits for CONNECT.
        }
    }

    /**
     * The certificate chain the server at {@code address} presents, read with a handshake that trusts anything and
     * is abandoned as soon as the chain has arrived; it sends no client certificate and no data. For explaining a
     * failed handshake: which server answered, who issued its certificate, for which names.
     */
    public static Optional<List<X509Certificate>> observeServerChain(InetAddress address, String host, int port,
            TlsVersion version, Duration timeout) {
        AtomicReference<List<X509Certificate>> seen = new AtomicReference<>();
        try (Socket tcp = connect(address, port, timeout)) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ChainRecorder(seen)}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, host, port, false)) {
                tls.setEnabledProtocols(new String[] {version.protocol()});
                tls.setSoTimeout((int) timeout.toMillis());
                tls.startHandshake();
            }
        } catch (IOException | GeneralSecurityException e) {
            // Expected: ChainRecorder ends the handshake once it has the chain.
        }
        return Optional.ofNullable(seen.get());
    }

    /** Records the server's chain and then refuses it, which ends the observing handshake at that point. */
    private record ChainRecorder(AtomicReference<List<X509Certificate>> seen) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            seen.set(List.of(chain));
            throw new CertificateException("observed only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
