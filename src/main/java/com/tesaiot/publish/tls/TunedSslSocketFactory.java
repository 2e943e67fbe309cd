package com.tesaiot.publish.tls;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.LongSupplier;

/**
 * Makes every socket speak exactly one TLS version and send small packets at once. Paho sets neither:
 * without TCP_NODELAY each publish that waits for its PUBACK pays Nagle's delay. Says how often servers asked for
 * the client certificate, for telling a cut connection from a refused certificate.
 */
final class TunedSslSocketFactory extends SSLSocketFactory implements ClientCertificateRequests {
    private final SSLSocketFactory delegate;
    private final String[] protocols;
    private final LongSupplier certificateRequests;

    TunedSslSocketFactory(SSLSocketFactory delegate, TlsVersion version, LongSupplier certificateRequests) {
        this.delegate = delegate;
        this.protocols = new String[] {version.protocol()};
        this.certificateRequests = certificateRequests;
    }

    @Override
    public long clientCertificateRequests() {
        return certificateRequests.getAsLong();
    }

    private Socket tune(Socket socket) throws IOException {
        ((SSLSocket) socket).setEnabledProtocols(protocols);
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Override
    public Socket createSocket() throws IOException {
        return tune(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return tune(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
        return tune(delegate.createSocket(s, consumed, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return tune(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return tune(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return tune(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return tune(delegate.createSocket(address, port, localAddress, localPort));
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }
}
