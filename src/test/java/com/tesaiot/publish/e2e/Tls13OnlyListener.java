package com.tesaiot.publish.e2e;

import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.Pkcs12Stores;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS listener on 127.0.0.1 that accepts TLS 1.3 only and never gets as far as MQTT: what a client offering only
 * TLS 1.2 meets at a broker configured for 1.3 (mosquitto's {@code tls_version tlsv1.3}). It answers with the
 * protocol_version alert; nothing else about it matters.
 */
final class Tls13OnlyListener implements AutoCloseable {
    private static final char[] PASSWORD = "in-memory".toCharArray();

    private final SSLServerSocket server;
    private final Thread acceptor;

    private Tls13OnlyListener(SSLServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::serve, "tls13-only-listener");
        this.acceptor.setDaemon(true);
    }

    static Tls13OnlyListener start(DevelopmentPki pki) throws Exception {
        IssuedCertificate identity = pki.issueServer(List.of("localhost", "127.0.0.1"), KeyType.EC);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(Pkcs12Stores.keyStore(identity, List.of(pki.intermediate().certificate()), PASSWORD), PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        server.setEnabledProtocols(new String[] {"TLSv1.3"});
        Tls13OnlyListener listener = new Tls13OnlyListener(server);
        listener.acceptor.start();
        return listener;
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                ((SSLSocket) client).startHandshake();
            } catch (IOException e) {
                // The handshake fails by design, and accept() fails once closed.
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join(5_000);
    }
}
