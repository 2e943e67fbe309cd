package com.tesaiot.publish.tls;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/** A plain socket that counts what it reads, to tell "no TLS here" from "TLS that refused us". */
public final class CountingSocket extends Socket {
    private final AtomicLong read = new AtomicLong();
    private InputStream counting;

    long bytesRead() {
        return read.get();
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (counting == null) {
            counting = new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        read.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        read.addAndGet(n);
                    }
                    return n;
                }
            };
        }
        return counting;
    }
}
