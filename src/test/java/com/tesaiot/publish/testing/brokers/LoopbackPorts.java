package com.tesaiot.publish.testing.brokers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Ports on 127.0.0.1 for the tests' brokers: a free one to listen on, and whether one accepts connections. */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** A port nothing listens on now (a broker that then fails to bind it is retried by its starter). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when a TCP connection to 127.0.0.1:{@code port} is accepted within 200 ms. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
