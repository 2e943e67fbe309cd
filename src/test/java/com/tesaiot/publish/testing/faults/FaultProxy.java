package com.tesaiot.publish.testing.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on the loopback between the tool and a broker, to inject network faults for real: stall the
 * connections open now (the sockets stay open, nothing is forwarded: a hung load balancer), cut every new
 * connection after a number of bytes from the client, reset every connection, or delay each chunk.
 * New connections are forwarded normally unless a cut is set.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile long cutAfterClientBytes = Long.MAX_VALUE;
    private volatile long cutAfterBrokerBytes = Long.MAX_VALUE;
    private volatile long delayMillis;

    /** One proxied connection: its two sockets and how many bytes the client sent through it. */
    public static final class Link {
        final Socket client;
        final Socket broker;
        final AtomicLong clientBytes = new AtomicLong();
        final AtomicLong brokerBytes = new AtomicLong();
        final Object gate = new Object();
        volatile boolean stalled;
        final long cutAfter;
        final long cutAfterBroker;

        Link(Socket client, Socket broker, long cutAfter, long cutAfterBroker) {
            this.client = client;
            this.broker = broker;
            this.cutAfter = cutAfter;
            this.cutAfterBroker = cutAfterBroker;
        }

        public long clientBytes() {
            return clientBytes.get();
        }

        void close() {
            closeQuietly(client);
            closeQuietly(broker);
            synchronized (gate) {
                gate.notifyAll();
            }
        }
    }

    private FaultProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
    }

    /** A proxy on 127.0.0.1 (a free port) to 127.0.0.1:{@code targetPort}. */
    public static FaultProxy to(int targetPort) {
        return listeningOn("127.0.0.1", targetPort);
    }

    /** A proxy on {@code loopback} (127.0.0.1 or ::1, a free port) to 127.0.0.1:{@code targetPort}. */
    public static FaultProxy listeningOn(String loopback, int targetPort) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(loopback));
            FaultProxy proxy = new FaultProxy(server, targetPort);
            Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every connection made through the proxy so far, oldest first. */
    public List<Link> links() {
        return List.copyOf(links);
    }

    /** The connections open now stop forwarding in both directions; their sockets stay open. */
    public void stallOpenConnections() {
        links.forEach(l -> l.stalled = true);
    }

    /** Every connection made from now on is closed once the client has sent {@code bytes} through it. */
    public void cutNewConnectionsAfter(long bytes) {
        cutAfterClientBytes = bytes;
    }

    /** Every connection made from now on is closed once the broker has sent {@code bytes} through it. */
    public void cutNewConnectionsAfterBrokerBytes(long bytes) {
        cutAfterBrokerBytes = bytes;
    }

    /** Every connection made from now on is forwarded in full. */
    public void stopCutting() {
        cutAfterClientBytes = Long.MAX_VALUE;
        cutAfterBrokerBytes = Long.MAX_VALUE;
    }

    /** Each chunk forwarded from now on waits {@code millis} first. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    /** Resets every open connection (RST, not FIN). */
    public void resetAll() {
        for (Link link : links) {
            try {
                link.client.setSoLinger(true, 0);
                link.broker.setSoLinger(true, 0);
            } catch (IOException e) {
                // Already closed.
            }
            link.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket();
                broker.connect(new InetSocketAddress("127.0.0.1", targetPort), 2_000);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                Link link = new Link(client, broker, cutAfterClientBytes, cutAfterBrokerBytes);
                links.add(link);
                pump(link, client, broker, true);
                pump(link, broker, client, false);
            } catch (IOException e) {
                // A client the broker would not take, or the proxy closing: the client sees its socket close.
            }
        }
    }

    private void pump(Link link, Socket from, Socket to, boolean fromClient) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    waitWhileStalled(link);
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis); // the fault itself: a slow link, not a wait for a condition
                    }
                    AtomicLong sent = fromClient ? link.clientBytes : link.brokerBytes;
                    long before = sent.getAndAdd(n);
                    int forward = (int) Math.max(0, Math.min(n, (fromClient ? link.cutAfter : link.cutAfterBroker) - before));
                    out.write(buffer, 0, forward);
                    out.flush();
                    if (forward < n) {
                        break;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // The other side closed, or a fault closed both.
            } finally {
                link.close();
            }
        }, "fault-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void waitWhileStalled(Link link) throws InterruptedException {
        synchronized (link.gate) {
            while (link.stalled && !link.client.isClosed()) {
                link.gate.wait(100);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is asked.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Nothing to release beyond the socket.
        }
        links.forEach(Link::close);
    }
}
