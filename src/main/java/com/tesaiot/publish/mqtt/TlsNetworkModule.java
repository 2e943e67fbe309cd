package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.tls.ClientCertificateRequests;
import com.tesaiot.publish.tls.CountingSocket;
import com.tesaiot.publish.tls.CutBeforeCertificateException;
import com.tesaiot.publish.tls.NoTlsAnswerException;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;
import org.eclipse.paho.client.mqttv3.internal.TCPNetworkModule;
import org.eclipse.paho.client.mqttv3.spi.NetworkModuleFactory;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Paho's TLS connection, done so that IP literals work: Paho 1.2.5's own module always sends SNI with the host,
 * which the JDK refuses for an IPv6 literal ("Contains non-LDH ASCII characters"), and SNI must not carry an
 * address anyway (RFC 6066). Here SNI goes only with a host name, and the host-name check (HTTPS endpoint
 * identification) matches an address against the certificate's IP entries. Its output coalesces a burst's PUBLISH
 * packets into shared TLS records ({@link CoalescingOutputStream}). Registered with Paho for the
 * {@value #SCHEME} scheme (META-INF/services).
 */
public final class TlsNetworkModule extends TCPNetworkModule {
    static final String SCHEME = "tesaiot-tls";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int INPUT_BUFFER_BYTES = 512;

    private final SSLSocketFactory factory;
    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final boolean verifyHostName;
    private final String clientId;
    private InputStream input;
    private CoalescingOutputStream output;

    private TlsNetworkModule(SSLSocketFactory factory, String host, int port, int timeoutMillis, boolean verifyHostName,
            String clientId) {
        super(factory, host, port, clientId);
        this.factory = factory;
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.verifyHostName = verifyHostName;
        this.clientId = clientId;
    }

    static boolean isAddress(String host) {
        return host.contains(":") || IPV4.matcher(host).matches();
    }

    @Override
    public void start() throws IOException, MqttException {
        CountingSocket plain = new CountingSocket();
        try {
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
        } catch (ConnectException e) {
            plain.close();
            throw new MqttException(MqttException.REASON_CODE_SERVER_CONNECT_ERROR, e);
        }
        // Layered with the bare host, so the JDK checks the certificate against exactly what the user gave.
        SSLSocket tls = (SSLSocket) factory.createSocket(plain, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        if (!isAddress(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        if (verifyHostName) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(timeoutMillis);
        long certificateRequests = certificateRequests();
        try {
            tls.startHandshake();
        } catch (IOException e) {
            throw CutBeforeCertificateException.ifCutBeforeCertificate(NoTlsAnswerException.ifNothingRead(plain, e),
                    certificateRequests() > certificateRequests);
        }
        tls.setSoTimeout(1000); // what Paho's reader expects: it polls
        // Paho reads a packet's header byte by byte; buffered, a byte costs no trip through JSSE's locked read path.
        // The broker sends us only acknowledgements of 2-4 bytes: 512 bytes hold a burst's, where the default
        // 8 KiB would be kept per connection (8 MB for 1 000 devices, seen in a heap dump).
        input = new BufferedInputStream(tls.getInputStream(), INPUT_BUFFER_BYTES);
        output = new CoalescingOutputStream(tls.getOutputStream(), clientId);
        socket = tls;
    }

    /** How often servers have asked for our certificate (a count that only grows); 0 where unknown. */
    private long certificateRequests() {
        return factory instanceof ClientCertificateRequests requests ? requests.clientCertificateRequests() : 0;
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() {
        return output;
    }

    @Override
    public String getServerURI() {
        return SCHEME + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Makes a {@link TlsNetworkModule} for every {@value #SCHEME}:// address Paho is given. */
    public static final class Factory implements NetworkModuleFactory {
        @Override
        public Set<String> getSupportedUriSchemes() {
            return Set.of(SCHEME);
        }

        @Override
        public void validateURI(URI brokerUri) {
            if (brokerUri.getHost() == null || brokerUri.getPath() != null && !brokerUri.getPath().isEmpty()) {
                throw new IllegalArgumentException(brokerUri.toString());
            }
        }

        @Override
        public NetworkModule createNetworkModule(URI brokerUri, MqttConnectOptions options, String clientId) {
            String host = brokerUri.getHost();
            String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            int port = brokerUri.getPort() == -1 ? 8883 : brokerUri.getPort();
            return new TlsNetworkModule((SSLSocketFactory) options.getSocketFactory(), bare, port,
                    Math.max(1, options.getConnectionTimeout()) * 1000, options.isHttpsHostnameVerificationEnabled(), clientId);
        }
    }
}
